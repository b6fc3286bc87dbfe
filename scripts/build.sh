#!/bin/sh
# Configures and builds one build tree. Usage: scripts/build.sh DIR [cmake args...]
set -eu
cd "$(dirname "$0")/.."
dir=$1
shift
cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
cmake --build "$dir"
