#!/bin/sh
# README command 2 (and CI): install dependencies, then build and run the
# whole test suite twice: with g++, and with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

echo "== g++ build and tests"
scripts/build.sh build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== clang + ASan + UBSan build and tests"
# Plugins cannot link -Wl,--no-undefined here: the sanitizer runtime lives in the host.
CC=clang CXX=clang++ scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug \
  -DKUPHOST_SANITIZE=address,undefined -DKUPHOST_PLUGIN_NO_UNDEFINED=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
echo "== all tests passed"
