#pragma once
// A page of the Settings dialog: loads its fields from the app's copy of the
// settings (ConfigCache) and collects the ones that changed, checked on the
// spot (Config::check; its message shows under the field it is about); the
// dialog writes them in one Write job.
#include "jobs/ConfigCache.h"

#include <QJsonArray>

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace ed {

// What the pages' apply() collects: the values that differ from `current`.
struct SettingsEdits {
    const ConfigCache &current;
    QList<ConfigCache::Change> changes;
    QJsonValue value(ConfigKey key) const { return current.value(key); }
};

class SettingsPage : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    virtual void load(const ConfigCache &config) = 0;
    // Collects changed values; false when any was refused (its error is shown).
    virtual bool apply(SettingsEdits &config) = 0;
    QString errorText(ConfigKey key) const;

protected:
    // Adds `field` to the form with an error line under it for `key`.
    void addField(QFormLayout *form, const QString &label, QWidget *field, ConfigKey key);
    // Asks for `key` to be `value` unless it already holds it; shows or clears its error.
    bool setValue(SettingsEdits &edits, ConfigKey key, const QJsonValue &value);
    void showError(ConfigKey key, const QString &message);

private:
    QHash<int, QLabel *> m_errors;
};

// One entry per line, for list settings (patterns, addresses, prefixes).
QPlainTextEdit *makeLinesEdit(QWidget *parent, const QString &placeholder);
QJsonArray linesValue(const QPlainTextEdit *edit);
void setLines(QPlainTextEdit *edit, const QStringList &lines);

} // namespace ed
