#pragma once
// A page of the Settings dialog: loads its fields from Config and writes back
// the ones that changed. Config::set validates; its message shows under the
// field it is about.
#include "store/Config.h"

#include <QJsonArray>

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace ed {

class SettingsPage : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    virtual void load(const Config &config) = 0;
    // Writes changed values; false when any was refused (its error is shown).
    virtual bool apply(Config &config) = 0;
    QString errorText(ConfigKey key) const;

protected:
    // Adds `field` to the form with an error line under it for `key`.
    void addField(QFormLayout *form, const QString &label, QWidget *field, ConfigKey key);
    // Sets `key` to `value` unless it already holds it; shows or clears its error.
    bool setValue(Config &config, ConfigKey key, const QJsonValue &value);
    void showError(ConfigKey key, const QString &message);

private:
    QHash<int, QLabel *> m_errors;
};

// One entry per line, for list settings (patterns, addresses, prefixes).
QPlainTextEdit *makeLinesEdit(QWidget *parent, const QString &placeholder);
QJsonArray linesValue(const QPlainTextEdit *edit);
void setLines(QPlainTextEdit *edit, const QStringList &lines);

} // namespace ed
