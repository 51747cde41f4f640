#pragma once
// "No SQLite call on the UI thread", checked: the desktop app's main() (and
// the ui tests) register the UI thread; the store calls checkNotUiThread()
// before every statement. Built with ERRORDECK_ASSERT_THREADS (on in Debug
// builds and whenever the tests are built: RelWithDebInfo defines NDEBUG, so
// Q_ASSERT would be off there), a call on the registered thread is fatal.
// The CLI registers nothing: it may use SQLite on its main thread.
#include <QString>
#include <functional>
#include <string_view>

class QThread;

namespace ed::dbthread {

// The thread that must not wait on SQLite; nullptr unregisters.
void setUiThread(QThread *thread);
bool isUiThread();

// Fatal (through the violation handler) when called on the UI thread outside
// an AllowOnUiThread scope; a no-op without ERRORDECK_ASSERT_THREADS.
void checkNotUiThread(std::string_view what);
// Whether this build checks at all (ERRORDECK_ASSERT_THREADS).
bool checksEnabled();

// What a violation does; the default is qFatal. Tests replace it to see the
// check fire without ending the process. Returns the previous handler.
using ViolationHandler = std::function<void(const QString &message)>;
ViolationHandler setViolationHandler(ViolationHandler handler);

// For tests only: a widget test setting up or reading the database on its
// main thread to check what the UI did. The product has no such scope (every
// statement of the app runs on ui/jobs/JobRunner). Nests; per thread.
class AllowOnUiThread {
public:
    explicit AllowOnUiThread(const char *reason);
    ~AllowOnUiThread();
    AllowOnUiThread(const AllowOnUiThread &) = delete;
    AllowOnUiThread &operator=(const AllowOnUiThread &) = delete;
};

} // namespace ed::dbthread
