#include "filters/DjangoExport.h"

#include <QStringList>

namespace ed {

QString pythonStringLiteral(const QString &s, bool preferRaw)
{
    // A raw string cannot hold its quote, a line break, or end in an odd run of backslashes.
    qsizetype trailing = 0;
    for (qsizetype i = s.size(); i-- > 0 && s[i] == QLatin1Char('\\');)
        ++trailing;
    if (preferRaw && !s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')) &&
        trailing % 2 == 0)
        return QStringLiteral("r'%1'").arg(s);
    QString out = QStringLiteral("'");
    for (const QChar c : s) {
        switch (c.unicode()) {
        case '\\': out += QLatin1String("\\\\"); break;
        case '\'': out += QLatin1String("\\'"); break;
        case '\n': out += QLatin1String("\\n"); break;
        case '\r': out += QLatin1String("\\r"); break;
        default: out += c;
        }
    }
    return out + QLatin1Char('\'');
}

QString djangoSettingsSnippet(const FilterSet::Settings &settings)
{
    QString keyPattern;
    {
        QStringList alternatives;
        for (const QString &p : ScrubSettings::defaultKeyPatterns())
            alternatives << p.toUpper();
        for (const QString &p : settings.scrub.extraKeyPatterns)
            alternatives << QStringLiteral("(?:%1)").arg(p);
        keyPattern = alternatives.join(QLatin1Char('|'));
    }
    QStringList safe;
    for (const QString &k : settings.scrub.safeKeys)
        safe << pythonStringLiteral(k.toUpper(), false);
    safe.sort();

    QString out;
    out += QLatin1String("# Exported by `errordeck-cli rules export --django`.\n"
                         "# --- settings.py -------------------------------------------------------\n"
                         "import re\n\n");
    out += QStringLiteral("APPEND_SLASH = %1\n\n")
               .arg(settings.notFound.appendSlash ? QLatin1String("True") : QLatin1String("False"));
    if (settings.notFound.ignorableUrls.isEmpty()) {
        out += QLatin1String("IGNORABLE_404_URLS = []\n");
    } else {
        out += QLatin1String("IGNORABLE_404_URLS = [\n");
        for (const QString &p : settings.notFound.ignorableUrls)
            out += QStringLiteral("    re.compile(%1),\n").arg(pythonStringLiteral(p));
        out += QLatin1String("]\n");
    }
    out += QLatin1String("\n# Name the filter below (it must live in its own module: settings.py cannot\n"
                         "# import django.views.debug):\n"
                         "DEFAULT_EXCEPTION_REPORTER_FILTER = 'myproject.errordeck_filter.ErrorDeckExceptionReporterFilter'\n"
                         "\n# --- myproject/errordeck_filter.py -------------------------------------\n"
                         "import re\n\n"
                         "from django.views.debug import SafeExceptionReporterFilter\n\n\n"
                         "class ErrorDeckExceptionReporterFilter(SafeExceptionReporterFilter):\n"
                         "    \"\"\"Masks settings, META and POST values whose names ErrorDeck treats as secret.\"\"\"\n\n");
    out += QStringLiteral("    hidden_settings = re.compile(%1, flags=re.I)\n").arg(pythonStringLiteral(keyPattern));
    out += QStringLiteral("    safe_settings = frozenset({%1})\n\n").arg(safe.join(QLatin1String(", ")));
    out += QLatin1String("    def _is_secret(self, key):\n"
                         "        return (isinstance(key, str) and key.upper() not in self.safe_settings\n"
                         "                and self.hidden_settings.search(key) is not None)\n\n"
                         "    def cleanse_setting(self, key, value):\n"
                         "        if isinstance(key, str) and key.upper() in self.safe_settings:\n"
                         "            return value\n"
                         "        return super().cleanse_setting(key, value)\n\n"
                         "    def get_post_parameters(self, request):\n"
                         "        params = super().get_post_parameters(request)\n"
                         "        if request is None or not any(self._is_secret(k) for k in params):\n"
                         "            return params\n"
                         "        params = params.copy()\n"
                         "        for key in params:\n"
                         "            if self._is_secret(key):\n"
                         "                params[key] = self.cleansed_substitute\n"
                         "        return params\n");
    return out;
}

} // namespace ed
