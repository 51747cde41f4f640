#include "model/MailAudience.h"

namespace ed {

QString audienceName(MailAudience a)
{
    switch (a) {
    case MailAudience::Admins: return QStringLiteral("admins");
    case MailAudience::Managers: return QStringLiteral("managers");
    case MailAudience::Test: return QStringLiteral("test");
    }
    return {};
}

MailAudience audienceFromName(std::string_view s)
{
    if (s == "managers")
        return MailAudience::Managers;
    if (s == "test")
        return MailAudience::Test;
    return MailAudience::Admins;
}

} // namespace ed
