#!/bin/sh
# Unit tests of the core (content hash, configuration, status codes).
exec "$(dirname "$0")/../build/tests/test-core"
