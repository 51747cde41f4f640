#pragma once
// The "Settings & environment" tab: the site's settings as the report saw them,
// facts about the server process, and the log record's extra attributes.
#include "model/Report.h"

#include <QWidget>

namespace ed {

class KeyValueTable;

class ContextView : public QWidget {
    Q_OBJECT
public:
    explicit ContextView(QWidget *parent = nullptr);
    void setReport(const Report &report);
    KeyValueTable *settings() const { return m_settings; }
    KeyValueTable *environment() const { return m_environment; }

private:
    KeyValueTable *m_settings, *m_environment, *m_extra;
};

} // namespace ed
