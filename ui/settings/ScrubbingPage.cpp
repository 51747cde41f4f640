#include "settings/ScrubbingPage.h"

#include "base/BoundedRegex.h"

#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>

namespace ed {

ScrubbingPage::ScrubbingPage(QWidget *parent) : SettingsPage(parent)
{
    auto *form = new QFormLayout(this);
    auto *intro = new QLabel(tr("Values under sensitive keys become Django's twenty asterisks when reports are imported. "
                                "Keys such as API, AUTH, TOKEN, KEY, SECRET, PASS, SIGNATURE and COOKIE are always sensitive."),
                             this);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_keys = makeLinesEdit(this, tr("Regexes, case-insensitive, e.g. ^card_"));
    m_keys->setObjectName(QStringLiteral("sensitiveKeys"));
    m_values = makeLinesEdit(this, tr("Regexes for secrets inside any text, e.g. sk_live_[0-9a-zA-Z]+"));
    m_values->setObjectName(QStringLiteral("sensitiveValues"));
    m_safe = makeLinesEdit(this, tr("Exact key names never scrubbed, e.g. PASSWORD_RESET_TIMEOUT"));
    m_safe->setObjectName(QStringLiteral("safeKeys"));
    addField(form, tr("Sensitive &keys:"), m_keys, ConfigKey::SensitiveKeys);
    addField(form, tr("Sensitive &values:"), m_values, ConfigKey::SensitiveValues);
    addField(form, tr("&Safe keys:"), m_safe, ConfigKey::SafeKeys);
}

void ScrubbingPage::load(const ConfigCache &config)
{
    setLines(m_keys, config.stringList(ConfigKey::SensitiveKeys));
    setLines(m_values, config.stringList(ConfigKey::SensitiveValues));
    setLines(m_safe, config.stringList(ConfigKey::SafeKeys));
}

bool ScrubbingPage::apply(SettingsEdits &config)
{
    // A changed pattern list that holds a pattern blowing up on a test string is
    // saved, and the warning keeps the dialog open once so it is read.
    auto setPatterns = [&](ConfigKey key, const QPlainTextEdit *edit, QRegularExpression::PatternOptions options) {
        const QJsonArray value = linesValue(edit);
        const bool changed = config.value(key) != QJsonValue(value);
        if (!setValue(config, key, value))
            return false;
        if (!changed)
            return true;
        QStringList patterns;
        for (const QJsonValue &v : value)
            patterns << v.toString();
        const QStringList warnings = userPatternWarnings(patterns, options);
        if (warnings.isEmpty())
            return true;
        showError(key, tr("Saved, but: %1").arg(warnings.join(QLatin1Char('\n'))));
        return false;
    };
    bool ok = setPatterns(ConfigKey::SensitiveKeys, m_keys, QRegularExpression::CaseInsensitiveOption);
    ok = setPatterns(ConfigKey::SensitiveValues, m_values, {}) && ok;
    ok = setValue(config, ConfigKey::SafeKeys, linesValue(m_safe)) && ok;
    return ok;
}

} // namespace ed
