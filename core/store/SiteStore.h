#pragma once
// The sites that send with a Sentry SDK (the sites table): each has the DSN's
// project number, a name, and the public key its SDK authenticates with; and
// what their SDKs reported beside events (sessions, dropped events), counted.
#include "base/Result.h"
#include "store/Database.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace ed {

struct Site {
    int64_t number = 0; // the DSN's project number: /api/<number>/
    QString name, publicKey; // publicKey: 32 lowercase hex digits
    int64_t createdAt = 0; // ms since the epoch
};

struct SiteCount {
    QString kind; // "session" (by status) or "dropped" (by reason:category)
    QString reason;
    int64_t count = 0;
};

class SiteStore {
public:
    explicit SiteStore(Database &db) : m_db(db) { }

    Result<std::vector<Site>> list(); // by number
    Result<Site> byName(const QString &name); // NotFound naming it
    Result<Site> byNumber(int64_t number);
    // A new site with the next free number and a fresh random key; an
    // InvalidInput error for an empty or taken name.
    Result<Site> add(const QString &name);
    // A fresh key for the site: SDKs still sending the old one get 403.
    Result<Site> rotateKey(const QString &name);
    // Adds `count` to the site's count of kind/reason (one statement).
    Result<void> addCount(int64_t site, const QString &kind, const QString &reason, int64_t count);
    Result<std::vector<SiteCount>> counts(int64_t site);

    static QString newKey(); // 32 hex digits from the system's random source

private:
    Database &m_db;
};

} // namespace ed
