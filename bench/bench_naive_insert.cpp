// The naive baseline for the import benchmark: every line of a file inserted
// as a plain blob into a fresh SQLite table, in one transaction. No parsing,
// no indexes: the floor that a real import is compared against.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_naive_insert INPUT.jsonl OUT.sqlite3\n");
        return 1;
    }
    std::remove(argv[2]);
    sqlite3 *db = nullptr;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK)
        return 1;
    const auto start = std::chrono::steady_clock::now();
    sqlite3_exec(
        db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE lines(id INTEGER PRIMARY KEY, body BLOB); BEGIN",
        nullptr, nullptr, nullptr);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO lines(body) VALUES(?)", -1, &st, nullptr);
    std::ifstream in(argv[1], std::ios::binary);
    std::string line;
    long long n = 0, bytes = 0;
    while (std::getline(in, line)) {
        bytes += static_cast<long long>(line.size()) + 1;
        sqlite3_bind_blob(st, 1, line.data(), int(line.size()), SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
        ++n;
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("naive baseline: %lld lines, %.2f s, %.1f MB/s, %.0f lines/s\n", n, secs, bytes / 1048576.0 / secs, n / secs);
    return 0;
}
