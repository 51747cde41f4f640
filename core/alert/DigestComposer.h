#pragma once
// A digest e-mail (and an alert rule's summary mail): the new issues, the regressions and the most reported
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
    // The summary mail of the issues an alert rule's hourly cap folded together
    // (AlertEngine.h): each issue with the report that fired and its link.
    // `tag`: "[new-issue] ". An issue deleted since is said to be.
    MailDraft composeSummary(const QString &ruleName, const QString &reason, const QString &tag,
                             const std::vector<std::pair<std::optional<IssueRow>, int64_t>> &issues) const;

private:
    QString m_prefix, m_from;
};

} // namespace ed
