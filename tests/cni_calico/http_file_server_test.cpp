// tests/support's loopback HTTP server, fetched with this machine's real
// curl the way a sandbox node's curl fetches Calico's manifests.
#include <gtest/gtest.h>

#include "http_file_server.h"
#include "test_support.h"

namespace kuphost::test {
namespace {

TEST(HttpFileServer, ServesFilesAndRefusesTheRest) {
  TempDir dir;
  write_file(dir / "release-v3.30.3/manifests/calico.yaml", "kind: DaemonSet\n");
  write_file(dir.path().parent_path() / "outside.txt", "secret\n");
  HttpFileServer server(dir.path());
  TempDir out;
  const auto ok = run_process({"curl", "-fsSL", "--max-time", "30", "-o", (out / "calico.yaml").string(),
                               server.url() + "/release-v3.30.3/manifests/calico.yaml"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(read_file(out / "calico.yaml"), "kind: DaemonSet\n");
  const auto missing = run_process({"curl", "-fsSL", "--max-time", "30", "-o", (out / "x").string(),
                                    server.url() + "/release-v3.30.3/manifests/nope.yaml"});
  EXPECT_EQ(missing.exit_code, 22) << missing.err;  // curl -f on a 404
  const auto escape = run_process({"curl", "-fsS", "--path-as-is", "--max-time", "30", "-o", (out / "y").string(),
                                   server.url() + "/../outside.txt"});
  EXPECT_EQ(escape.exit_code, 22) << escape.err;
  EXPECT_EQ(server.requests(), (std::vector<std::string>{"/release-v3.30.3/manifests/calico.yaml",
                                                          "/release-v3.30.3/manifests/nope.yaml", "/../outside.txt"}));
}

}  // namespace
}  // namespace kuphost::test
