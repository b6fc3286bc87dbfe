// Operator interruption (SIGINT/SIGTERM): a process-wide flag that long waits
// and child processes observe, so a run stops at a safe point and can resume.
#pragma once

namespace kuphost {

// Installs handlers for SIGINT and SIGTERM that set the flag.
void install_cancel_handlers();
bool cancel_requested();
void request_cancel();  // for tests

}  // namespace kuphost
