#pragma once
// A digest e-mail: the new issues, the regressions and the most reported
// issues of a period, as text and HTML, each issue with its errordeck://issue/<id>
// link. The desktop app does not open that scheme yet: the links name the
// issue for when it does (and for people reading the id).
#include "send/MailDraft.h"
#include "store/AlertStore.h"
#include "store/Config.h"

namespace ed {

// errordeck://issue/<id>
QString issueLink(int64_t issueId);

class DigestComposer {
public:
    DigestComposer(QString subjectPrefix, QString serverEmail)
        : m_prefix(std::move(subjectPrefix)), m_from(std::move(serverEmail))
    {
    }
    static DigestComposer fromConfig(const Config &config);

    // `title`: "Daily digest", "Weekly digest".
    MailDraft compose(const DigestData &data, const QString &title) const;

private:
    QString m_prefix, m_from;
};

} // namespace ed
