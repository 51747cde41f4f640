#pragma once
// "Now" for the alert step, the rate limit, the outbox's retries and digests:
// the system clock, or one a test sets (errordeck-cli reads ERRORDECK_NOW).
#include <cstdint>
#include <functional>

namespace ed {

using AlertClock = std::function<int64_t()>; // ms since the epoch, UTC

AlertClock systemAlertClock();

} // namespace ed
