#pragma once
// What the widget tests share (UI builds only): settings kept away from the
// user's, and the one wait for a list model's first rows.
#include "TestSupport.h"

namespace ed {
class PagedModel;
}

namespace edtest {

// Keeps QSettings and app data of the tests away from the user's; loads the app's resources.
void isolate();

// The model knows how many rows it has and holds its first page (or has no
// rows): what a list shows first once a query has run.
bool firstRowsLoaded(const ed::PagedModel *m);
// Waits (running the event loop) until firstRowsLoaded(m) with at least `minRows` rows.
bool waitUntilLoaded(const ed::PagedModel *m, int minRows = 0, int timeoutMs = 10000);

} // namespace edtest
