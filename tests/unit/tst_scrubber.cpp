// The secret scrubber: key names, value scanners, their limits (what must
// stay), and the real corpus e-mails scrubbed as raw text.
#include "base/BoundedRegex.h"
#include "filters/DjangoSafeSettings.h"
#include "filters/SecretScrubber.h"
#include "filters/TextScanners.h"
#include "filters/ScanText.h"

#include "TestSupport.h"

#include <QDir>
#include <algorithm>
#include <random>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ed;
using edtest::corpusSecrets;

namespace {

std::unique_ptr<SecretScrubber> make(const ScrubSettings &s = {})
{
    auto r = SecretScrubber::create(s);
    if (!r)
        qFatal("%s", qPrintable(r.error()));
    return std::move(*r);
}

std::string scrubbed(const SecretScrubber &s, std::string text)
{
    s.scrubText(text);
    return text;
}

const std::string M(kScrubbedValue);

} // namespace

class TestScrubber : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The scanners' SSE2 finds against the plain ones, on every offset of
    // random texts over a small alphabet (so needles occur often, across the
    // 16-byte blocks and in the tails).
    void vectorFindsAsPlainFinds()
    {
        std::mt19937 rng(7);
        const std::string alphabet = "</td>pre 0123456789ab";
        const std::vector<std::string> needles = {"</td>", "<td>", "</pre>", "t<", "55", "0a", "<td>9</td>", "</td></td>"};
        int found = 0;
        for (int round = 0; round < 300; ++round) {
            std::string text(rng() % 200, ' ');
            for (char &c : text)
                c = alphabet[rng() % alphabet.size()];
            for (const std::string &needle : needles) {
                for (size_t from = 0; from <= text.size() + 1; ++from) {
                    const size_t expected = from > text.size() ? std::string::npos : std::string_view(text).find(needle, from);
                    QCOMPARE(scan::detail::findText(text, needle, from), expected);
                    found += expected != std::string::npos;
                }
            }
            for (size_t from = 0; from <= text.size(); ++from) {
                size_t expected = from;
                while (expected < text.size() && (text[expected] < '0' || text[expected] > '9'))
                    ++expected;
                QCOMPARE(scan::detail::nextDigit(text, from), expected);
            }
        }
        QVERIFY(found > 10000);
    }

    void defaultKeys()
    {
        auto s = make();
        // Django 5.2's hidden_settings and the wider list, as substrings, any case.
        for (const char *k : {"API_URL",      "AUTHORIZATION", "HTTP_AUTHORIZATION", "HTTP_PROXY_AUTHORIZATION",
                              "access_token", "SECRET_KEY",    "password",           "db_pass",
                              "SIGNATURE",    "HTTP_COOKIE",   "cookie_name",        "sessionid",
                              "csrftoken",    "X-XSRF-TOKEN",  "aws_credentials",    "private_key",
                              "PWD",          "ssn",           "card_cvv",           "cvc",
                              "Set-Cookie",   "user[password]"})
            QVERIFY2(s->isSensitiveKey(ScrubZone::Settings, k), k);
        for (const char *k : {"item", "name", "PATH_INFO", "HTTP_HOST", "REMOTE_ADDR", "DEBUG", "username", "note", "q"})
            QVERIFY2(!s->isSensitiveKey(ScrubZone::RequestData, k), k);
        for (const QString &p : ScrubSettings::defaultKeyPatterns())
            QVERIFY2(s->keyIsSensitive(("x_" + p.toUpper() + "_y").toStdString()), qPrintable(p));
        // Cached verdicts stay right when asked again, in any order.
        for (int i = 0; i < 3; ++i) {
            QVERIFY(s->isSensitiveKey(ScrubZone::Meta, "HTTP_COOKIE"));
            QVERIFY(!s->isSensitiveKey(ScrubZone::Meta, "HTTP_HOST"));
        }
    }

    void zones()
    {
        ScrubSettings st;
        st.safeKeys = {QStringLiteral("django_language"), QStringLiteral("CSRF_COOKIE_NAME")};
        auto s = make(st);
        QVERIFY(!s->isSensitiveKey(ScrubZone::None, "password")); // structural keys
        QVERIFY(s->isSensitiveKey(ScrubZone::Cookies, "cart")); // every cookie
        QVERIFY(!s->isSensitiveKey(ScrubZone::Cookies, "DJANGO_LANGUAGE")); // but safe ones
        QVERIFY(!s->isSensitiveKey(ScrubZone::Settings, "csrf_cookie_name"));
        QVERIFY(s->isSensitiveKey(ScrubZone::Settings, "CSRF_COOKIE"));
        // Safe keys also hold in free text.
        QCOMPARE(scrubbed(*s, "CSRF_COOKIE_NAME = 'csrftoken'"), std::string("CSRF_COOKIE_NAME = 'csrftoken'"));
    }

    // Django's settings that hold no secret read as they are; real secrets,
    // lower-case look-alikes and the user's own patterns still mask.
    void djangoSafeSettings()
    {
        auto s = make();
        for (const char *k : {"CSRF_COOKIE_AGE", "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_NAME", "CACHE_MIDDLEWARE_KEY_PREFIX",
                              "PASSWORD_HASHERS", "AUTH_USER_MODEL", "AUTH_PASSWORD_VALIDATORS", "AUTHENTICATION_BACKENDS",
                              "PASSWORD_RESET_TIMEOUT", "LANGUAGE_COOKIE_NAME", "CSRF_HEADER_NAME", "SESSION_ENGINE"})
            QVERIFY2(!s->isSensitiveKey(ScrubZone::Settings, k), k);
        for (const char *k :
             {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "EMAIL_HOST_PASSWORD", "AWS_SECRET_ACCESS_KEY", "STRIPE_API_KEY",
              "DATABASE_PASSWORD", "EMAIL_SSL_KEYFILE", "cache_middleware_key_prefix", "PASSWORD_HASHERS_SALT", "AUTH_TOKEN"})
            QVERIFY2(s->isSensitiveKey(ScrubZone::Settings, k), k);
        QCOMPARE(
            scrubbed(
                *s,
                "CACHE_MIDDLEWARE_KEY_PREFIX = 'shop'\nPASSWORD_HASHERS = ['django.contrib.auth.hashers.PBKDF2PasswordHasher']"),
            std::string(
                "CACHE_MIDDLEWARE_KEY_PREFIX = 'shop'\nPASSWORD_HASHERS = ['django.contrib.auth.hashers.PBKDF2PasswordHasher']"));
        QCOMPARE(scrubbed(*s, "DATABASES = {'default': {'PASSWORD': 'db-pw-1'}}\nSECRET_KEY = 'sk-1'"),
                 "DATABASES = {'default': {'PASSWORD': '" + M + "'}}\nSECRET_KEY = '" + M + "'");
        // A user's key pattern masks a listed setting again.
        ScrubSettings st;
        st.extraKeyPatterns = {QStringLiteral("^CACHE_MIDDLEWARE")};
        QVERIFY(make(st)->isSensitiveKey(ScrubZone::Settings, "CACHE_MIDDLEWARE_KEY_PREFIX"));
        // The list is sorted (it is binary-searched) and each name needs it (holds a pattern).
        const auto names = ed::djangoSafeSettings();
        QVERIFY(std::is_sorted(names.begin(), names.end()));
        for (std::string_view n : names) {
            bool holdsPattern = false;
            for (const QString &p : ScrubSettings::defaultKeyPatterns())
                holdsPattern = holdsPattern ||
                               QString::fromLatin1(n.data(), qsizetype(n.size())).contains(p, Qt::CaseInsensitive);
            QVERIFY2(holdsPattern, n.data());
        }
    }

    void userPatterns()
    {
        ScrubSettings st;
        st.extraKeyPatterns = {QStringLiteral("^iban$"), QStringLiteral("mother.?s.?maiden")};
        st.valuePatterns = {QStringLiteral("acct-[0-9]{6}"), QStringLiteral("employee (E[0-9]{4})")};
        auto s = make(st);
        QVERIFY(s->isSensitiveKey(ScrubZone::RequestData, "IBAN"));
        QVERIFY(!s->isSensitiveKey(ScrubZone::RequestData, "iban_country"));
        QVERIFY(s->isSensitiveKey(ScrubZone::FrameVars, "mothers_maiden"));
        QCOMPARE(scrubbed(*s, "moved acct-123456 to acct-654321"), "moved " + M + " to " + M);
        QCOMPARE(scrubbed(*s, "employee E1234 left"), "employee " + M + " left"); // group 1 only
        {
            // A match where group 1 took no part masks nothing; the next match still counts.
            ScrubSettings alt;
            alt.valuePatterns = {QStringLiteral("(?:pin:(\\d+))|nothing-here")};
            auto a = make(alt);
            QCOMPARE(scrubbed(*a, "nothing-here pin:1234 nothing-here"), "nothing-here pin:" + M + " nothing-here");
        }
        QCOMPARE(scrubbed(*s, "iban=DE89370400440532013000"), "iban=" + M);

        ScrubSettings bad;
        bad.valuePatterns = {QStringLiteral("(unclosed")};
        QVERIFY(!SecretScrubber::create(bad));
        bad.valuePatterns = {QStringLiteral("x*")};
        QVERIFY(!SecretScrubber::create(bad)); // would match everywhere
        bad.valuePatterns.clear();
        bad.extraKeyPatterns = {QStringLiteral("[")};
        QVERIFY(!SecretScrubber::create(bad));
    }

    // A pattern that backtracks past PCRE2's match limit cannot say "no
    // secret here": the text is masked whole and the scrubber says so.
    void undecidedPatternsFailClosed()
    {
        ScrubSettings st;
        st.valuePatterns = {QStringLiteral("(?:a+)+$|sk_live_[A-Za-z0-9]+")};
        st.extraKeyPatterns = {QStringLiteral("^(?:x+)+$")};
        auto s = make(st);
        QVERIFY(s->undecidedPatterns().isEmpty());
        QFile f(QStringLiteral(ERRORDECK_TEST_DATA "/hostile/failopen.jsonl"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        int records = 0;
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (line.isEmpty())
                continue;
            std::string message =
                QJsonDocument::fromJson(line).object().value(QStringLiteral("message")).toString().toStdString();
            QVERIFY(message.find("sk_live_") != std::string::npos);
            QVERIFY(s->scrubText(message));
            QVERIFY2(message.find("sk_live_") == std::string::npos, message.c_str());
            QVERIFY2(message.find(M) != std::string::npos, message.c_str());
            ++records;
        }
        QCOMPARE(records, 2);
        // Only the text the pattern could not decide is masked whole.
        QCOMPARE(scrubbed(*s, "order failed sk_live_ABC123 today"), "order failed " + M + " today");
        const QStringList notes = s->undecidedPatterns();
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes[0].contains(QStringLiteral("(?:a+)+$|sk_live_")) && notes[0].contains(QStringLiteral(" 1 text")),
                 qPrintable(notes[0]));
        // A 40 KB text of such runs, the secret at its end, is masked too.
        std::string big;
        while (big.size() < 40000)
            big += std::string(40, 'a') + "! ";
        big += "sk_live_TAIL999";
        QVERIFY(s->scrubText(big));
        QVERIFY(big.find("sk_live_") == std::string::npos);
        // A key pattern that cannot decide makes the key sensitive.
        const std::string key = std::string(40, 'x') + "y";
        QVERIFY(s->isSensitiveKey(ScrubZone::RequestData, key));
        QVERIFY(!s->isSensitiveKey(ScrubZone::RequestData, "xxxy"));
        QCOMPARE(s->undecidedPatterns().size(), 2);
    }

    void patternChecks()
    {
        QVERIFY(userPatternError(QStringLiteral("sk_live_[0-9a-z]+")).isEmpty());
        QVERIFY(userPatternError(QStringLiteral("(unclosed")).contains(QStringLiteral("not a valid")));
        for (const char *p : {"x*", "a?", "^", "(?:)", "foo|"})
            QVERIFY2(userPatternError(QString::fromLatin1(p)).contains(QStringLiteral("empty string")), p);
        QVERIFY(userPatternWarning(QStringLiteral("sk_live_[0-9a-zA-Z]+")).isEmpty());
        QVERIFY(userPatternWarning(QStringLiteral("employee (E[0-9]{4})")).isEmpty());
        QVERIFY(!userPatternWarning(QStringLiteral("(?:a+)+$|sk_live_x")).isEmpty());
        QVERIFY(!userPatternWarning(QStringLiteral("^(\\d+)*$")).isEmpty());
        QVERIFY(!userPatternWarning(QStringLiteral("^(\\w+\\s?)+$")).isEmpty());
        QCOMPARE(userPatternWarnings({QStringLiteral("ok"), QStringLiteral("(?:a+)+$")}).size(), 1);
    }

    void values_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        const QString m = QString::fromStdString(M);
        auto row = [](const char *name, const QString &in, const QString &out) { QTest::newRow(name) << in << out; };
        row("query", "/reset/?token=abc123&next=/x", "/reset/?token=" + m + "&next=/x");
        row("query first", "password=pw-1", "password=" + m);
        row("wsgi repr", "<WSGIRequest: GET '/account/login/?password=pw-17383d9c1724'>",
            "<WSGIRequest: GET '/account/login/?password=" + m + "'>");
        row("report line", "sessionid = 'sess-5d9d1818e811'", "sessionid = '" + m + "'");
        row("report line qp", "sessionid =3D 'sess-5d9d1818e811'", "sessionid =3D '" + m + "'");
        row("query in qp", "QUERY_STRING =3D 'password=3Dpw-17383d9c1724'", "QUERY_STRING =3D 'password=" + m + "'");
        row("cookie header", "HTTP_COOKIE = 'sessionid=sess-1; csrftoken=abc'", "HTTP_COOKIE = '" + m + "'");
        row("authorization", "HTTP_AUTHORIZATION = 'Bearer bearer-1600099950d8'", "HTTP_AUTHORIZATION = '" + m + "'");
        row("header line", "Authorization: Bearer abc.def\nHost: shop", "Authorization: " + m + "\nHost: shop");
        row("proxy header", "Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: " + m);
        row("python dict", "{'PASSWORD': 'hunter2', 'USER': 'bob'}", "{'PASSWORD': '" + m + "', 'USER': 'bob'}");
        row("dict value list", "{'password': ['pw-1'], 'name': ['x']}", "{'password': " + m + ", 'name': ['x']}");
        row("json", "{\"api_key\": \"k-1\", \"id\": 3}", "{\"api_key\": \"" + m + "\", \"id\": 3}");
        row("escaped json", "'{\\\"api_key\\\": \\\"k-1\\\"}'", "'{\\\"api_key\\\": \\\"" + m + "\\\"}'");
        row("html dict", "{&#x27;PASSWORD&#x27;: &#x27;x&#x27;}", "{&#x27;PASSWORD&#x27;: &#x27;" + m + "&#x27;}");
        row("html query", "<td>http://shop.example.com/login/?password=pw-1</td>",
            "<td>http://shop.example.com/login/?password=" + m + "</td>");
        row("html escaped repr", "&lt;WSGIRequest: GET &#x27;/login/?password=pw-1&#x27;&gt;",
            "&lt;WSGIRequest: GET &#x27;/login/?password=" + m + "&#x27;&gt;");
        row("html row", "<td>sessionid</td>\n  <td class=\"code\"><pre>&#x27;sess-1&#x27;</pre></td>",
            "<td>sessionid</td>\n  <td class=\"code\"><pre>&#x27;" + m + "&#x27;</pre></td>");
        row("html row qp", "<td>HTTP_COOKIE</td>\n<td class=3D\"code\"><pre>&#x27;sessionid=3Dsess-1&#x27;=\n</pre></td>",
            "<td>HTTP_COOKIE</td>\n<td class=3D\"code\"><pre>&#x27;" + m + "&#x27;=\n</pre></td>");
        row("text cookies", "COOKIES:\ncart = 'c-1'\nsessionid = 'sess-1'\n\nMETA:\nHTTP_HOST = 'shop'",
            "COOKIES:\ncart = '" + m + "'\nsessionid = '" + m + "'\n\nMETA:\nHTTP_HOST = 'shop'");
        row("html cookies",
            "<h3 id=\"cookie-info\">COOKIES</h3><table><tr><td>cart</td><td "
            "class=\"code\"><pre>&#x27;c-1&#x27;</pre></td></tr></table><h3>META</h3><td>X</td><td><pre>ok</pre></td>",
            "<h3 id=\"cookie-info\">COOKIES</h3><table><tr><td>cart</td><td class=\"code\"><pre>&#x27;" + m +
                "&#x27;</pre></td></tr></table><h3>META</h3><td>X</td><td><pre>ok</pre></td>");
        row("url password", "postgres://app:s3cr3t@db.example.com:5432/shop",
            "postgres://app:" + m + "@db.example.com:5432/shop");
        row("card plain", "card 4242424242424242 please", "card " + m + " please");
        row("card spaces", "note = 'card 5555 5555 5555 4444 please'", "note = 'card " + m + " please'");
        row("card dashes", "4111-1111-1111-1111", m);
        row("amex", "378282246310005", m);
        row("pem", "loaded: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----",
            "loaded: -----BEGIN RSA PRIVATE KEY-----" + m + "-----END RSA PRIVATE KEY-----");
        row("yaml-like", "login failed, password: hunter2 for bob", "login failed, password: " + m + " for bob");
        row("cli option", "run --api-key=k-123 now", "run --api-key=" + m + " now");
        row("dict in settings", "CACHES = {'default': {'KEY_PREFIX': 'shop'}}",
            "CACHES = {'default': {'KEY_PREFIX': '" + m + "'}}");
        row("url-encoded query", "next=%2Flogin%3Fpassword%3Dhunter2%26x%3D1", "next=%2Flogin%3Fpassword%3D" + m + "%26x%3D1");
        row("url-encoded twice", "u=%252Flogin%253Fapi_key%253Dk-1%2526a", "u=%252Flogin%253Fapi_key%253D" + m + "%2526a");
        row("url-encoded lower", "r=%2Freset%3ftoken%3dabc%26n%3d2", "r=%2Freset%3ftoken%3d" + m + "%26n%3d2");
        row("card qp soft break", "card 42424242=\n42424242 ok", "card " + m + " ok");
        row("uatp", "card 122000000000003", "card " + m);
        row("card after qp equals", "card=3D4242424242424242 ok", "card=3D" + m + " ok");
        row("card after qp space", "card:=204242424242424242=20ok", "card:=20" + m + "=20ok");
        row("cookie secret setting", "SESSION_SECRET_NAME = 'x1'", "SESSION_SECRET_NAME = '" + m + "'");
        row("http cookie setting", "HTTP_COOKIE_NAME = 'x1'", "HTTP_COOKIE_NAME = '" + m + "'");
        // What must stay as it is.
        row("exception line", "KeyError: 'fig'", "KeyError: 'fig'");
        row("class name", "InvalidToken: signature mismatch", "InvalidToken: signature mismatch");
        row("code call", "    token = make_token(user)", "    token = make_token(user)");
        row("comparison", "if key == 'x' or key != 'y'", "if key == 'x' or key != 'y'");
        row("plain url", "http://shop.example.com/orders/1/?page=2", "http://shop.example.com/orders/1/?page=2");
        row("times", "Server time: Sun, 22 Nov 2026 09:55:30 -0600", "Server time: Sun, 22 Nov 2026 09:55:30 -0600");
        row("address", "To: ops@example.com, ana@example.com", "To: ops@example.com, ana@example.com");
        row("not luhn", "order 4242424242424241", "order 4242424242424241");
        row("long id", "id 179534133048121611502072235519", "id 179534133048121611502072235519");
        row("zeros", "0000000000000000", "0000000000000000");
        row("hex", "at 0x7fdcd3b75790 4242424242424242abc", "at 0x7fdcd3b75790 4242424242424242abc");
        row("masked", "password = '" + m + "'", "password = '" + m + "'");
        row("none", "api_key = None", "api_key = None");
        row("logger", "django.security.csrf: rejected", "django.security.csrf: rejected");
        row("url-encoded harmless", "next=%2Forders%3Fpage%3D2", "next=%2Forders%3Fpage%3D2");
        row("mime boundary",
            "Content-Type: multipart/alternative;\n "
            "boundary=\"===============4416965510153463505==\"\n\n--===============4416965510153463505==\n",
            "Content-Type: multipart/alternative;\n "
            "boundary=\"===============4416965510153463505==\"\n\n--===============4416965510153463505==\n");
        row("us timestamp", "took until 1764583200123452 us", "took until 1764583200123452 us");
        row("ms timestamp", "ts=1764583200126", "ts=1764583200126");
        row("csrf cookie name", "CSRF_COOKIE_NAME = 'csrftoken'", "CSRF_COOKIE_NAME = 'csrftoken'");
        row("session cookie age", "SESSION_COOKIE_AGE = 1209600\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'",
            "SESSION_COOKIE_AGE = 1209600\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'");
        row("public pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
    }

    void values()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        auto s = make();
        std::string text = in.toStdString();
        const bool changed = s->scrubText(text);
        QCOMPARE(QString::fromStdString(text), out);
        QCOMPARE(changed, in != out);
        // Scrubbing is idempotent: a second pass finds nothing (so `rules apply` is stable).
        QVERIFY(!s->scrubText(text));
        QCOMPARE(QString::fromStdString(text), out);
        // The same text again (now from the clean-text cache when long) gives the same.
        std::string again = in.toStdString();
        s->scrubText(again);
        QCOMPARE(QString::fromStdString(again), out);
    }

    void luhn()
    {
        QVERIFY(scan::luhnValid("4242424242424242"));
        QVERIFY(scan::luhnValid("5555 5555 5555 4444"));
        QVERIFY(!scan::luhnValid("4242424242424241"));
    }

    void longTextsAndCache()
    {
        auto s = make();
        // A long clean string is remembered; a long dirty one must never be.
        std::string clean(500, 'a');
        QVERIFY(!s->scrubText(clean));
        QVERIFY(!s->scrubText(clean));
        std::string dirty = std::string(300, 'x') + " token=tok-9 " + std::string(300, 'y');
        for (int i = 0; i < 3; ++i) {
            std::string t = dirty;
            QVERIFY(s->scrubText(t));
            QVERIFY(t.find("tok-9") == std::string::npos);
        }
        // A card number across the SSE block boundary is still found.
        for (size_t pad = 0; pad < 20; ++pad) {
            std::string t = std::string(pad, ' ') + "4242424242424242" + std::string(70, ' ');
            QVERIFY2(s->scrubText(t), qPrintable(QString::number(pad)));
        }
    }

    void fingerprint()
    {
        ScrubSettings a, b;
        QCOMPARE(a.fingerprint(), b.fingerprint());
        b.extraKeyPatterns = {QStringLiteral("iban")};
        QVERIFY(a.fingerprint() != b.fingerprint());
        ScrubSettings c;
        c.safeKeys = {QStringLiteral("A"), QStringLiteral("b")};
        ScrubSettings d;
        d.safeKeys = {QStringLiteral("B"), QStringLiteral("a")};
        QCOMPARE(c.fingerprint(), d.fingerprint()); // order and case do not matter for safe keys
    }

    // Django's own e-mails, scrubbed as the raw text import stores: no secret
    // of truth.json may stay, and the report itself must stay readable.
    void corpusEmails()
    {
        const QStringList secrets = corpusSecrets();
        QVERIFY(secrets.size() > 10);
        QStringList files;
        for (const char *dir : {"emails", "eml"})
            for (const QFileInfo &fi : QDir(QStringLiteral(ERRORDECK_CORPUS "/") + QLatin1String(dir)).entryInfoList(QDir::Files))
                files << fi.filePath();
        files << QStringLiteral(ERRORDECK_CORPUS "/reports.mbox");
        QVERIFY(files.size() > 20);
        auto s = make();
        int found = 0;
        for (const QString &path : files) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            std::string text = f.readAll().toStdString();
            for (const QString &sec : secrets)
                found += text.find(sec.toStdString()) != std::string::npos;
            s->scrubText(text);
            for (const QString &sec : secrets)
                QVERIFY2(text.find(sec.toStdString()) == std::string::npos, qPrintable(path + ": " + sec));
            QVERIFY(text.find("Request Method: ") != std::string::npos || text.find("Referrer:") != std::string::npos ||
                    text.find("Internal Server Error") != std::string::npos || text.find("Broken") != std::string::npos);
        }
        QVERIFY(found > 0); // the corpus does hold them before scrubbing
    }

    void corpusRecordsReadable()
    {
        // Things that are not secrets survive: paths, exception text, settings names.
        auto s = make();
        QCOMPARE(scrubbed(*s, "Internal Server Error: /orders/597/total/"),
                 std::string("Internal Server Error: /orders/597/total/"));
        QCOMPARE(scrubbed(*s, "Not Found: /orders/1/total/\r\nBcc: victim@example.net/"),
                 std::string("Not Found: /orders/1/total/\r\nBcc: victim@example.net/"));
        QCOMPARE(
            scrubbed(*s,
                     "Invalid HTTP_HOST header: 'evil.example.com'. You may need to add 'evil.example.com' to ALLOWED_HOSTS."),
            std::string(
                "Invalid HTTP_HOST header: 'evil.example.com'. You may need to add 'evil.example.com' to ALLOWED_HOSTS."));
    }
};

QTEST_GUILESS_MAIN(TestScrubber)
#include "tst_scrubber.moc"
