#!/bin/sh
# Install the Debian 12 packages apvirt needs to build and run every test.
# Idempotent; needs root (apt-get).  Used by the README command and CI.
set -eu
PKGS="autoconf automake libtool pkg-config autoconf-archive make gcc
      libcmocka-dev
      fuse3 libfuse3-dev
      libxml2-dev libxml2-utils trang libjson-c-dev libvirt-dev
      clang libclang-rt-14-dev
      valgrind
      mdevctl util-linux socat
      libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
      qemu-system-x86 python3-libvirt
      man-db groff-base
      gcc-s390x-linux-gnu linux-source-6.1 bc bison flex libssl-dev libelf-dev
      sparse xz-utils cpio kmod file linux-headers-amd64 busybox-static"
missing=$(dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2>/dev/null |
	  awk '$NF != "installed" {print $1}')
for p in $PKGS; do
	dpkg-query -W "$p" >/dev/null 2>&1 || missing="$missing $p"
done
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ -z "$(echo $missing | tr -d ' ')" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
echo "install-deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 update
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends $missing
