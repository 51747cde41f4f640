// Put first in the include path of ui/, cli/ and the core layers above store:
// they reach the database only through core/store's API, never SQLite itself.
#error                                                                                                                           \
    "sqlite3.h is private to core/store: ui/, cli/ and the other core layers reach the database only through core/store (store/Database.h, store/ReportStore.h, ...)"
