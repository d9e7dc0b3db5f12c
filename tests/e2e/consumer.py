#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""consumer.py - a management stack's view of apvirt (as Nova or VDSM would
use it): only the libvirt API, through Python's bindings.

    consumer.py URI DOMAIN MATRIX-XML EVENTS

Sets DOMAIN's live apvirt metadata to MATRIX-XML (virDomainSetMetadata),
waits (at most 30 s) until EVENTS METADATA_CHANGE events for the apvirt
namespace have arrived (1: its own write; 2: its own and apvirtd's
rollback), then prints the live metadata read back.  Exit 0, or 1 with
one line on stderr.
"""
import sys
import threading

import libvirt

NS = "http://apvirt.org/xmlns/ap-matrix/1.0"
TIMEOUT = 30.0


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: consumer.py URI DOMAIN MATRIX-XML EVENTS\n")
        return 2
    uri, name, xml, want = argv[1], argv[2], argv[3], int(argv[4])
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    libvirt.virEventRegisterDefaultImpl()
    conn = libvirt.open(uri)
    dom = conn.lookupByName(name)
    seen = threading.Condition()
    count = [0]

    def on_metadata(conn_, dom_, mtype, nsuri, opaque):
        if mtype == libvirt.VIR_DOMAIN_METADATA_ELEMENT and nsuri == NS and \
           dom_.UUIDString() == dom.UUIDString():
            with seen:
                count[0] += 1
                seen.notify_all()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    cb = conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                     on_metadata, None)
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, xml, "ap", NS,
                    libvirt.VIR_DOMAIN_AFFECT_LIVE)
    with seen:
        if not seen.wait_for(lambda: count[0] >= want, TIMEOUT):
            sys.stderr.write("consumer: %d of %d metadata events within %.0f s\n"
                             % (count[0], want, TIMEOUT))
            return 1
    conn.domainEventDeregisterAny(cb)
    print(dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS,
                       libvirt.VIR_DOMAIN_AFFECT_LIVE))
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
