#include "pki_renewal.h"

#include <openssl/bn.h>
#include <openssl/pem.h>

#include "inventory/openssl_handles.h"
#include "kubeconfig_credentials.h"
#include "renew_certificate.h"

namespace kuphost_plugins::certs {
namespace {

std::string must_read(NodeFiles &files, const std::string &node_path) {
  auto data = files.read(node_path);
  if (!data) throw RenewalError(node_path + " does not exist");
  return std::move(*data);
}

// A file that holds a private key is never readable by group or others,
// whatever it was before (kubeadm writes keys and kubeconfigs 0600).
uint32_t private_mode(NodeFiles &files, const std::string &node_path) {
  const uint32_t mode = files.mode(node_path);
  return mode == 0 ? 0600 : (mode & 0700) | 0600;
}

uint32_t public_mode(NodeFiles &files, const std::string &node_path) {
  const uint32_t mode = files.mode(node_path);
  return mode == 0 ? 0644 : mode;
}

}  // namespace

std::string certificate_serial_hex(const std::string &pem) {
  BioHandle bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Handle cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return {};
  std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
  if (!serial) return {};
  char *hex = BN_bn2hex(serial.get());
  if (!hex) return {};
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

std::vector<PreparedRenewal> prepare_renewals(const std::vector<RenewalTarget> &targets, NodeFiles &files,
                                              int64_t now_unix, int64_t validity_seconds) {
  std::vector<PreparedRenewal> out;
  for (const auto &target : targets) {
    const std::string ca_cert = must_read(files, target.ca_cert_path);
    const std::string ca_key = must_read(files, target.ca_key_path);
    const std::string old_file = must_read(files, target.cert_path);
    PreparedRenewal prepared;
    prepared.target = target;
    try {
      const std::string old_cert = target.kubeconfig ? embedded_credentials(old_file).cert_pem : old_file;
      const RenewedCertificate renewed = renew_certificate(old_cert, ca_cert, ca_key, now_unix, validity_seconds);
      prepared.new_not_after_unix = renewed.not_after_unix;
      prepared.new_serial_hex = certificate_serial_hex(renewed.cert_pem);
      if (target.kubeconfig) {
        prepared.writes.push_back({target.cert_path, with_credentials(old_file, renewed.cert_pem, renewed.key_pem),
                                   private_mode(files, target.cert_path)});
      } else {
        if (!files.read(target.key_path)) throw RenewalError(target.key_path + " does not exist");
        prepared.writes.push_back({target.key_path, renewed.key_pem, private_mode(files, target.key_path)});
        prepared.writes.push_back({target.cert_path, renewed.cert_pem, public_mode(files, target.cert_path)});
      }
    } catch (const RenewalError &e) {
      throw RenewalError(target.name + " (" + target.cert_path + ", CA " + target.ca_cert_path + "): " + e.what());
    }
    out.push_back(std::move(prepared));
  }
  return out;
}

std::vector<std::string> files_replaced(const std::vector<PreparedRenewal> &renewals) {
  std::vector<std::string> paths;
  for (const auto &r : renewals)
    for (const auto &w : r.writes) paths.push_back(w.node_path);
  return paths;
}

void write_renewals(const std::vector<PreparedRenewal> &renewals, NodeFiles &files) {
  for (const auto &r : renewals)
    for (const auto &w : r.writes) files.write(w.node_path, w.data, w.mode);
}

}  // namespace kuphost_plugins::certs
