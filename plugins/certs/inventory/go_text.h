// The Go formatting kubeadm's check-expiration output is made of, redone so
// that kuphost's report reads exactly like kubeadm's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kuphost_plugins::certs {

// kubeadm: int64(time.Until(notAfter) / time.Second), i.e. truncated toward
// zero.
int64_t residual_seconds(int64_t not_after_unix, int64_t now_unix_ms);

// k8s.io/apimachinery/pkg/util/duration.ShortHumanDuration for whole seconds:
// "<invalid>" below -1s, "0s" for -1s, then Ns (<60s), Nm (<60m), Nh (<24h),
// Nd (<365d), Ny (days/365), every unit truncated.
std::string short_human_duration(int64_t seconds);

// Go's time.Format("Jan 02, 2006 15:04 MST") in UTC: "Aug 19, 2026 09:03 UTC".
std::string go_expiry_time(int64_t unix_seconds);

// RFC 3339 in UTC, as metav1.Time marshals: "2026-08-19T09:03:04Z".
std::string rfc3339_utc(int64_t unix_seconds);

// text/tabwriter.NewWriter(w, 10, 4, 3, ' ', 0) for one block of lines of
// '\t'-separated cells: every cell but a line's last is padded with spaces to
// its column's width (widest cell + 3, at least 10); a line's last cell is
// written as is. With ' ' as padchar the tabwidth (4) plays no part. Blank
// lines end a column block in Go, so callers lay out each table separately.
std::vector<std::string> tab_layout(const std::vector<std::string> &lines);

}  // namespace kuphost_plugins::certs
