#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""consumer.py - a management stack's view of apvirt (as Nova or VDSM would
use it): only the libvirt API, through Python's bindings.

    consumer.py URI DOMAIN MATRIX-XML

Sets DOMAIN's live apvirt metadata to MATRIX-XML (virDomainSetMetadata)
and waits (at most 30 s) for apvirtd's answer: a METADATA_CHANGE event for
the status namespace after which the live status carries the digest of
MATRIX-XML and a generation above the one before the edit.  Then prints

    result: applied|refused
    reason: WHY                        (refused only)
    effect: adapters=A domains=D control-domains=C
    the live <matrix> metadata read back

Exit 0, or 1 with one line on stderr (no answer, a malformed status).
The digest is computed here from the edit alone, as apvirt-matrix(5)
defines it: nothing apvirt-specific is linked in.
"""
import hashlib
import re
import sys
import threading
import xml.etree.ElementTree as ET

import libvirt

NS = "http://apvirt.org/xmlns/ap-matrix/1.0"
STATUS_NS = "http://apvirt.org/xmlns/ap-status/1.0"
TIMEOUT = 30.0


def ids(root, kind):
    """The IDs of @kind children of @root, decimal, ascending, comma-separated."""
    found = [int(e.get("id"), 0) for e in root if e.tag.split("}")[-1] == kind]
    return ",".join(str(i) for i in sorted(found))


def matrix_line(root):
    return "adapters=%s domains=%s control-domains=%s" % (
        ids(root, "adapter"), ids(root, "domain"), ids(root, "control-domain"))


def digest(matrix_xml):
    """SHA-256 of the canonical line of an <ap:matrix> (apvirt-matrix(5))."""
    root = ET.fromstring(matrix_xml)
    line = "mdev=%s lifecycle=%s %s" % (root.get("mdev").lower(), root.get("lifecycle"),
                                        matrix_line(root))
    return hashlib.sha256(line.encode()).hexdigest()


def generation(st):
    """The generation of a status, 0 when there is none or it is not apvirtd's."""
    try:
        return int(st.get("generation"))
    except (AttributeError, TypeError, ValueError):
        return 0


def read_status(dom):
    """The live status element, or None when there is none yet."""
    try:
        return ET.fromstring(dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, STATUS_NS,
                                          libvirt.VIR_DOMAIN_AFFECT_LIVE))
    except libvirt.libvirtError as e:
        if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA:
            return None
        raise


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: consumer.py URI DOMAIN MATRIX-XML\n")
        return 2
    uri, name, xml = argv[1], argv[2], argv[3]
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    libvirt.virEventRegisterDefaultImpl()
    conn = libvirt.open(uri)
    dom = conn.lookupByName(name)
    want = digest(xml)
    answer = threading.Condition()
    found = []

    def on_metadata(conn_, dom_, mtype, nsuri, opaque):
        if mtype != libvirt.VIR_DOMAIN_METADATA_ELEMENT or nsuri != STATUS_NS or \
           dom_.UUIDString() != dom.UUIDString():
            return
        st = read_status(dom)
        # a status about this very edit, not an older one about the same matrix
        if st is not None and st.get("digest") == want and generation(st) > since:
            with answer:
                found.append(st)
                answer.notify_all()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()

    # the generation before the edit: a status at or below it is older
    since = generation(read_status(dom))
    threading.Thread(target=loop, daemon=True).start()
    cb = conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                     on_metadata, None)
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, xml, "ap", NS,
                    libvirt.VIR_DOMAIN_AFFECT_LIVE)
    with answer:
        if not answer.wait_for(lambda: found, TIMEOUT):
            sys.stderr.write("consumer: no status for digest %s within %.0f s\n" % (want, TIMEOUT))
            return 1
    conn.domainEventDeregisterAny(cb)
    st = found[0]
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", st.get("time") or ""):
        sys.stderr.write("consumer: status time %r is not UTC RFC 3339\n" % st.get("time"))
        return 1
    print("result: %s" % st.get("result"))
    if st.get("result") == "refused":
        print("reason: %s" % st.get("reason"))
    print("effect: %s" % matrix_line(st))
    print(dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, libvirt.VIR_DOMAIN_AFFECT_LIVE))
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
