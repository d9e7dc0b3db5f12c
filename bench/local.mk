# bench: the engine benchmark, timed against the reference model that
# tests/diff/test_differential verifies (tests/common/refmodel.[ch]).
# Built by "make" (not a test: nothing asserts timings); "make bench"
# builds and runs it.
noinst_PROGRAMS += bench/engine
bench_engine_SOURCES = \
	bench/engine.c \
	tests/common/refmodel.h \
	tests/common/refmodel.c \
	tests/common/engine_host.h \
	tests/common/engine_host.c
bench_engine_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/common
bench_engine_LDADD = $(APHOST_LIBS)

.PHONY: bench
bench: bench/engine$(EXEEXT)
	./bench/engine$(EXEEXT)

# bench/apvirt: one hot plug of 4 adapters and 8 domains into a running
# guest's mdev, by one "apvirt mdev set" and by 12 attribute writes:
# median wall times and CRYCB updates (apsim ctl crycb).  Built by make,
# not a test.  make bench-apvirt [APVIRT_BENCH_ARGS="--runs 50 --kernel=6.0"]
noinst_PROGRAMS += bench/apvirt
bench_apvirt_SOURCES = bench/apvirt.c

if HAVE_FUSE3
bench-apvirt: bench/apvirt$(EXEEXT) sim/apsim$(EXEEXT) tools/apvirt$(EXEEXT)
	bench/apvirt$(EXEEXT) --apsim sim/apsim$(EXEEXT) --apvirt tools/apvirt$(EXEEXT) $(APVIRT_BENCH_ARGS)
else
bench-apvirt:
	@echo "bench-apvirt: apsim is not built (fuse3 missing)"
endif
.PHONY: bench-apvirt

# bench/libvirt.sh: around a real libvirtd and a QEMU TCG guest (needs
# root; takes the libvirtd lock): apvirt attach-device/detach-device
# --live, apvirtd's latency from virsh metadata --live to sysfs, the QEMU
# hook's prepare with and without apvirt metadata; medians in ms and as a
# ratio to a bare virsh metadata --live.  Not a test: nothing asserts
# times.  make bench-libvirt [APVIRT_LIBVIRT_BENCH_ARGS="--runs 100"]
EXTRA_DIST += bench/libvirt.sh
if HAVE_FUSE3
bench-libvirt: sim/apsim$(EXEEXT) tools/apvirt$(EXEEXT) libvirt-hooks/apvirt-qemu-hook$(EXEEXT) libvirt-hooks/apvirtd$(EXEEXT)
	APSIM=sim/apsim$(EXEEXT) APVIRT=tools/apvirt$(EXEEXT) \
	APVIRT_HOOK=libvirt-hooks/apvirt-qemu-hook$(EXEEXT) \
	APVIRTD=libvirt-hooks/apvirtd$(EXEEXT) LIBTOOL=./libtool \
	bash $(srcdir)/bench/libvirt.sh $(APVIRT_LIBVIRT_BENCH_ARGS)
else
bench-libvirt:
	@echo "bench-libvirt: apsim is not built (fuse3 missing)"
endif
.PHONY: bench-libvirt
