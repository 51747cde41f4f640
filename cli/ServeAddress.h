#pragma once
// --listen HOST:PORT of serve and sites: 127.0.0.1:8765, [::1]:8765, :8765
// (parsed as the app's ERRORDECK_RECEIVE_LISTEN is: base/ListenAddress.h).
#include "base/ListenAddress.h"

namespace ed::cli {

using ServeAddress = ListenAddress;
inline bool parseServeAddress(const QString &text, ServeAddress &out, QString &why) { return parseListenAddress(text, out, why); }

} // namespace ed::cli
