#pragma once
// English plural forms for tr() texts with %n: "%n report(s)" reads
// "1 report" or "50,000 reports". Qt takes plural forms from a numerus
// translation (.qm); English has two forms and one rule, so this translator
// gives them without a translation file, and the number in the user's locale
// (%Ln). Other languages would come as .qm files installed before it.
#include <QTranslator>

namespace ed {

class EnglishPlurals : public QTranslator {
public:
    using QTranslator::QTranslator;
    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *disambiguation, int n) const override;
};

// Installs one EnglishPlurals in the application (once).
void installEnglishPlurals();

} // namespace ed
