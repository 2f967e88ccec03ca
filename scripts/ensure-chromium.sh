#!/bin/sh
# Make sure the browser tests have Debian's chromium and chromedriver.
# Installs them with apt when running as root on Debian and they are missing; otherwise says
# why the browser tests will be skipped. Always exits 0: the tests report the skip themselves.
set -u

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "ensure-chromium: chromium and chromedriver are present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-chromium: chromium or chromedriver missing and not root; browser tests will be skipped" \
        "(install the Debian packages chromium and chromium-driver to run them)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: chromium or chromedriver missing and no apt-get; browser tests will be skipped"
    exit 0
fi
echo "ensure-chromium: installing chromium and chromium-driver with apt-get"
if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver >/dev/null; then
    echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
    echo "ensure-chromium: apt-get could not install chromium; browser tests will be skipped"
fi
exit 0
