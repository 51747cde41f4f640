#pragma once
// "Now" for the alert step, the rate limit, the outbox's retries, digests and
// dry runs: the system clock, or one a test sets. errordeck-cli and the app
// both take it from alertClock(), so a dry run counts the same in either.
#include <cstdint>
#include <functional>

namespace ed {

using AlertClock = std::function<int64_t()>; // ms since the epoch, UTC

AlertClock systemAlertClock();
// ERRORDECK_NOW (ms since the epoch, or an ISO 8601 time), read when called,
// fixes "now" for tests of rate limits, retries, digests and dry runs; unset,
// the system clock.
AlertClock alertClock();

} // namespace ed
