// Compiled with the include path of ui/, cli/ and the core layers above store
// (tests/CMakeLists.txt): it must fail with cmake/forbidden/sqlite3.h's #error,
// because those reach the database only through core/store.
#include <sqlite3.h>
