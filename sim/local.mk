# sim: apsim, the vfio_ap engine served as a FUSE sysfs tree (needs fuse3),
# its man page, and bench/apsim (latency and throughput through the mount).
if HAVE_FUSE3
bin_PROGRAMS += sim/apsim
sim_apsim_SOURCES = \
	sim/apsim.c \
	sim/sim_buf.h \
	sim/sim_buf.c \
	sim/sim_parse.h \
	sim/sim_parse.c \
	sim/sim_hostfile.h \
	sim/sim_hostfile.c \
	sim/sim_state.h \
	sim/sim_state.c \
	sim/sim_mdev.h \
	sim/sim_mdev.c \
	sim/sim_lines.h \
	sim/sim_lines.c \
	sim/sim_fault.h \
	sim/sim_fault.c \
	sim/sim_tree.h \
	sim/sim_tree.c \
	sim/sim_fs.h \
	sim/sim_fs.c \
	sim/sim_ctl.h \
	sim/sim_ctl.c \
	sim/sim_daemon.h \
	sim/sim_daemon.c \
	sim/sim_client.h \
	sim/sim_client.c
sim_apsim_CFLAGS = $(AM_CFLAGS) $(FUSE3_CFLAGS)
sim_apsim_CPPFLAGS = $(APHOST_CPPFLAGS)
sim_apsim_LDADD = $(APHOST_LIBS) $(FUSE3_LIBS)
dist_man_MANS += docs/apsim.1

noinst_PROGRAMS += bench/apsim
bench_apsim_SOURCES = bench/apsim.c
bench_apsim_LDADD = $(PTHREAD_LIBS)

# make bench-apsim [APSIM_BENCH_ARGS="--ops 5000"]
bench-apsim: bench/apsim sim/apsim
	bench/apsim --apsim sim/apsim $(APSIM_BENCH_ARGS)
else
bench-apsim:
	@echo "bench-apsim: apsim is not built (fuse3 missing)"
endif
.PHONY: bench-apsim

EXTRA_DIST += scripts/main-job.sh scripts/libvirt-env.sh
