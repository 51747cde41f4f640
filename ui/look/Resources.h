#pragma once
// The icons and sample reports compiled into the ui library. A static library's
// resources must be registered once by the program (Q_INIT_RESOURCE).
namespace ed {
void initUiResources();
}
