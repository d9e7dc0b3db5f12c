# tests/fuzz: libFuzzer targets (clang only, so not part of "make" or
# "make check").  "make fuzz" builds them into tests/fuzz/bin/;
# tests/fuzz/run-fuzzers.sh [SECONDS] builds and runs them all.
#
# The rules call $(FUZZ_CC) directly instead of going through automake's
# compile rules, which are bound to $(CC): the engine is compiled once
# more with coverage instrumentation into tests/fuzz/bin/obj/.

FUZZ_PARSER_TARGETS = \
	fuzz_kstrtoul \
	fuzz_mask \
	fuzz_hexmask \
	fuzz_ap_config \
	fuzz_create_uuid \
	fuzz_uuid \
	fuzz_apqn
FUZZ_LIB_TARGETS = \
	fuzz_conf \
	fuzz_idlist \
	fuzz_profile \
	fuzz_journal \
	fuzz_metadata
FUZZ_TARGETS = $(FUZZ_PARSER_TARGETS) fuzz_engine_seq fuzz_host_file fuzz_apsim \
	$(FUZZ_LIB_TARGETS)

FUZZ_BINDIR = tests/fuzz/bin
FUZZ_OBJDIR = $(FUZZ_BINDIR)/obj
FUZZ_CFLAGS = -std=gnu11 -D_GNU_SOURCE -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(APVIRT_CFLAGS)
# Each layer with its own include path, as in the automake build: the
# engine and the models see kernel/common and themselves only.
FUZZ_LAYER_common = $(APCOMMON_CPPFLAGS)
FUZZ_LAYER_core = $(APCOMMON_CPPFLAGS) $(APCORE_CPPFLAGS)
FUZZ_LAYER_ap_model = $(APCOMMON_CPPFLAGS) $(APMODEL_CPPFLAGS)
# the fuzz targets and sim/ host the engine: they see all of it
FUZZ_HOST_CPPFLAGS = $(APHOST_CPPFLAGS) -I$(top_srcdir)/tests/fuzz

# The parsers need only kernel/common; the sequence target the engine and
# the models as well.
FUZZ_TEXT_OBJS = \
	$(FUZZ_OBJDIR)/compat_user.o \
	$(FUZZ_OBJDIR)/ap_bitmap.o \
	$(FUZZ_OBJDIR)/ap_text.o \
	$(FUZZ_OBJDIR)/ap_profile.o
FUZZ_ENGINE_OBJS = $(FUZZ_TEXT_OBJS) \
	$(FUZZ_OBJDIR)/vfio_ap_core.o \
	$(FUZZ_OBJDIR)/vfio_ap_attrs.o \
	$(FUZZ_OBJDIR)/ap_hw.o \
	$(FUZZ_OBJDIR)/ap_bus.o \
	$(FUZZ_OBJDIR)/ap_bus_attrs.o \
	$(FUZZ_OBJDIR)/ap_zcrypt.o \
	$(FUZZ_OBJDIR)/kvm_model.o \
	$(FUZZ_OBJDIR)/mdev_core.o
FUZZ_CORE_HDRS = \
	$(top_srcdir)/kernel/common/compat.h \
	$(top_srcdir)/kernel/common/lock_ranks.h \
	$(top_srcdir)/kernel/common/ap_bitmap.h \
	$(top_srcdir)/kernel/common/ap_text.h \
	$(top_srcdir)/kernel/common/ap_hw.h \
	$(top_srcdir)/kernel/common/ap_bus_if.h \
	$(top_srcdir)/kernel/common/ap_kvm.h \
	$(top_srcdir)/kernel/common/mdev_if.h \
	$(top_srcdir)/kernel/common/ap_profile.h \
	$(top_srcdir)/kernel/core/vfio_ap_core.h \
	$(top_srcdir)/kernel/ap_model/ap_bus_model.h \
	$(top_srcdir)/kernel/ap_model/ap_bus_priv.h \
	$(top_srcdir)/kernel/ap_model/kvm_model.h \
	$(top_srcdir)/kernel/ap_model/mdev_core.h
FUZZ_HDRS = $(FUZZ_CORE_HDRS) \
	$(top_srcdir)/tests/fuzz/fuzz_check.h \
	$(top_srcdir)/tests/fuzz/fuzz_uuid_common.h

FUZZ_COMPILE = $(AM_V_CC)$(MKDIR_P) $(@D) && $(FUZZ_CC) $(FUZZ_CFLAGS)

$(FUZZ_OBJDIR)/compat_user.o: $(top_srcdir)/kernel/common/compat_user.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_common) -c -o $@ $(top_srcdir)/kernel/common/compat_user.c
$(FUZZ_OBJDIR)/ap_bitmap.o: $(top_srcdir)/kernel/common/ap_bitmap.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_common) -c -o $@ $(top_srcdir)/kernel/common/ap_bitmap.c
$(FUZZ_OBJDIR)/ap_text.o: $(top_srcdir)/kernel/common/ap_text.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_common) -c -o $@ $(top_srcdir)/kernel/common/ap_text.c
$(FUZZ_OBJDIR)/ap_profile.o: $(top_srcdir)/kernel/common/ap_profile.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_common) -c -o $@ $(top_srcdir)/kernel/common/ap_profile.c
$(FUZZ_OBJDIR)/vfio_ap_core.o: $(top_srcdir)/kernel/core/vfio_ap_core.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_core) -c -o $@ $(top_srcdir)/kernel/core/vfio_ap_core.c
$(FUZZ_OBJDIR)/vfio_ap_attrs.o: $(top_srcdir)/kernel/core/vfio_ap_attrs.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_core) -c -o $@ $(top_srcdir)/kernel/core/vfio_ap_attrs.c
$(FUZZ_OBJDIR)/ap_hw.o: $(top_srcdir)/kernel/ap_model/ap_hw.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_ap_model) -c -o $@ $(top_srcdir)/kernel/ap_model/ap_hw.c
$(FUZZ_OBJDIR)/ap_bus.o: $(top_srcdir)/kernel/ap_model/ap_bus.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_ap_model) -c -o $@ $(top_srcdir)/kernel/ap_model/ap_bus.c
$(FUZZ_OBJDIR)/ap_bus_attrs.o: $(top_srcdir)/kernel/ap_model/ap_bus_attrs.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_ap_model) -c -o $@ $(top_srcdir)/kernel/ap_model/ap_bus_attrs.c
$(FUZZ_OBJDIR)/ap_zcrypt.o: $(top_srcdir)/kernel/ap_model/ap_zcrypt.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_ap_model) -c -o $@ $(top_srcdir)/kernel/ap_model/ap_zcrypt.c
$(FUZZ_OBJDIR)/kvm_model.o: $(top_srcdir)/kernel/ap_model/kvm_model.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_ap_model) -c -o $@ $(top_srcdir)/kernel/ap_model/kvm_model.c
$(FUZZ_OBJDIR)/mdev_core.o: $(top_srcdir)/kernel/ap_model/mdev_core.c $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LAYER_ap_model) -c -o $@ $(top_srcdir)/kernel/ap_model/mdev_core.c

$(FUZZ_BINDIR)/fuzz_kstrtoul: $(top_srcdir)/tests/fuzz/fuzz_kstrtoul.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_kstrtoul.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_mask: $(top_srcdir)/tests/fuzz/fuzz_mask.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_mask.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_hexmask: $(top_srcdir)/tests/fuzz/fuzz_hexmask.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_hexmask.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_ap_config: $(top_srcdir)/tests/fuzz/fuzz_ap_config.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_ap_config.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_create_uuid: $(top_srcdir)/tests/fuzz/fuzz_create_uuid.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_create_uuid.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_uuid: $(top_srcdir)/tests/fuzz/fuzz_uuid.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_uuid.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_apqn: $(top_srcdir)/tests/fuzz/fuzz_apqn.c $(FUZZ_TEXT_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_apqn.c $(FUZZ_TEXT_OBJS)
$(FUZZ_BINDIR)/fuzz_engine_seq: $(top_srcdir)/tests/fuzz/fuzz_engine_seq.c $(FUZZ_ENGINE_OBJS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_engine_seq.c $(FUZZ_ENGINE_OBJS)

# apsim's parsers (host file, paths, control commands): the FUSE-free part
# of sim/ compiled with the fuzzer's instrumentation.
FUZZ_SIM_OBJS = \
	$(FUZZ_OBJDIR)/sim_buf.o \
	$(FUZZ_OBJDIR)/sim_parse.o \
	$(FUZZ_OBJDIR)/sim_hostfile.o \
	$(FUZZ_OBJDIR)/sim_state.o \
	$(FUZZ_OBJDIR)/sim_mdev.o \
	$(FUZZ_OBJDIR)/sim_lines.o \
	$(FUZZ_OBJDIR)/sim_fault.o \
	$(FUZZ_OBJDIR)/sim_tree.o \
	$(FUZZ_OBJDIR)/sim_ctl.o
FUZZ_SIM_HDRS = \
	$(top_srcdir)/sim/sim_buf.h \
	$(top_srcdir)/sim/sim_parse.h \
	$(top_srcdir)/sim/sim_hostfile.h \
	$(top_srcdir)/sim/sim_state.h \
	$(top_srcdir)/sim/sim_mdev.h \
	$(top_srcdir)/sim/sim_lines.h \
	$(top_srcdir)/sim/sim_fault.h \
	$(top_srcdir)/sim/sim_tree.h \
	$(top_srcdir)/sim/sim_ctl.h
$(FUZZ_OBJDIR)/sim_buf.o: $(top_srcdir)/sim/sim_buf.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_buf.c
$(FUZZ_OBJDIR)/sim_parse.o: $(top_srcdir)/sim/sim_parse.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_parse.c
$(FUZZ_OBJDIR)/sim_hostfile.o: $(top_srcdir)/sim/sim_hostfile.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_hostfile.c
$(FUZZ_OBJDIR)/sim_state.o: $(top_srcdir)/sim/sim_state.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_state.c
$(FUZZ_OBJDIR)/sim_mdev.o: $(top_srcdir)/sim/sim_mdev.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_mdev.c
$(FUZZ_OBJDIR)/sim_lines.o: $(top_srcdir)/sim/sim_lines.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_lines.c
$(FUZZ_OBJDIR)/sim_fault.o: $(top_srcdir)/sim/sim_fault.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_fault.c
$(FUZZ_OBJDIR)/sim_tree.o: $(top_srcdir)/sim/sim_tree.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_tree.c
$(FUZZ_OBJDIR)/sim_ctl.o: $(top_srcdir)/sim/sim_ctl.c $(FUZZ_SIM_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -c -o $@ $(top_srcdir)/sim/sim_ctl.c
$(FUZZ_BINDIR)/fuzz_host_file: $(top_srcdir)/tests/fuzz/fuzz_host_file.c $(FUZZ_SIM_OBJS) $(FUZZ_ENGINE_OBJS) \
		$(FUZZ_SIM_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -o $@ $(top_srcdir)/tests/fuzz/fuzz_host_file.c $(FUZZ_SIM_OBJS) $(FUZZ_ENGINE_OBJS)
$(FUZZ_BINDIR)/fuzz_apsim: $(top_srcdir)/tests/fuzz/fuzz_apsim.c $(FUZZ_SIM_OBJS) $(FUZZ_ENGINE_OBJS) \
		$(FUZZ_SIM_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_HOST_CPPFLAGS) -I$(top_srcdir)/sim -o $@ $(top_srcdir)/tests/fuzz/fuzz_apsim.c $(FUZZ_SIM_OBJS) $(FUZZ_ENGINE_OBJS)

# libapvirt's parsers: the library compiled with the fuzzer's
# instrumentation (and json-c for the profiles).
FUZZ_LIB_OBJS = \
	$(FUZZ_OBJDIR)/lib_error.o \
	$(FUZZ_OBJDIR)/lib_ids.o \
	$(FUZZ_OBJDIR)/lib_conf.o \
	$(FUZZ_OBJDIR)/lib_path.o \
	$(FUZZ_OBJDIR)/lib_ctx.o \
	$(FUZZ_OBJDIR)/lib_sysfs.o \
	$(FUZZ_OBJDIR)/lib_file.o \
	$(FUZZ_OBJDIR)/lib_log.o \
	$(FUZZ_OBJDIR)/lib_host.o \
	$(FUZZ_OBJDIR)/lib_explain.o \
	$(FUZZ_OBJDIR)/lib_profile.o \
	$(FUZZ_OBJDIR)/lib_validate.o \
	$(FUZZ_OBJDIR)/lib_lock.o \
	$(FUZZ_OBJDIR)/lib_journal.o \
	$(FUZZ_OBJDIR)/lib_txn.o \
	$(FUZZ_OBJDIR)/lib_metadata.o \
	$(FUZZ_OBJDIR)/lib_sha256.o \
	$(FUZZ_OBJDIR)/lib_status.o
FUZZ_LIB_HDRS = \
	$(top_srcdir)/include/apvirt/apvirt.h \
	$(top_srcdir)/include/apvirt/apv_error.h \
	$(top_srcdir)/include/apvirt/apv_ids.h \
	$(top_srcdir)/include/apvirt/apv_ctx.h \
	$(top_srcdir)/include/apvirt/apv_host.h \
	$(top_srcdir)/include/apvirt/apv_explain.h \
	$(top_srcdir)/include/apvirt/apv_profile.h \
	$(top_srcdir)/include/apvirt/apv_validate.h \
	$(top_srcdir)/include/apvirt/apv_lock.h \
	$(top_srcdir)/include/apvirt/apv_txn.h \
	$(top_srcdir)/include/apvirt/apv_metadata.h \
	$(top_srcdir)/include/apvirt/apv_virt.h \
	$(top_srcdir)/include/apvirt/apv_status.h \
	$(top_srcdir)/lib/internal.h \
	$(top_srcdir)/lib/ctx.h \
	$(top_srcdir)/lib/host_priv.h \
	$(top_srcdir)/tests/fuzz/fuzz_lib_common.h
FUZZ_LIB_FLAGS = $(FUZZ_LAYER_common) -I$(top_srcdir)/include -I$(top_srcdir)/lib $(JSONC_CFLAGS) \
	$(LIBXML2_CFLAGS)
FUZZ_LIB_LIBS = $(JSONC_LIBS) $(LIBXML2_LIBS)
$(FUZZ_OBJDIR)/lib_error.o: $(top_srcdir)/lib/error.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/error.c
$(FUZZ_OBJDIR)/lib_ids.o: $(top_srcdir)/lib/ids.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/ids.c
$(FUZZ_OBJDIR)/lib_conf.o: $(top_srcdir)/lib/conf.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/conf.c
$(FUZZ_OBJDIR)/lib_path.o: $(top_srcdir)/lib/path.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/path.c
$(FUZZ_OBJDIR)/lib_ctx.o: $(top_srcdir)/lib/ctx.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/ctx.c
$(FUZZ_OBJDIR)/lib_sysfs.o: $(top_srcdir)/lib/sysfs.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/sysfs.c
$(FUZZ_OBJDIR)/lib_file.o: $(top_srcdir)/lib/file.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/file.c
$(FUZZ_OBJDIR)/lib_log.o: $(top_srcdir)/lib/log.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/log.c
$(FUZZ_OBJDIR)/lib_host.o: $(top_srcdir)/lib/host.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/host.c
$(FUZZ_OBJDIR)/lib_explain.o: $(top_srcdir)/lib/explain.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/explain.c
$(FUZZ_OBJDIR)/lib_profile.o: $(top_srcdir)/lib/profile.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/profile.c
$(FUZZ_OBJDIR)/lib_validate.o: $(top_srcdir)/lib/validate.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/validate.c
$(FUZZ_OBJDIR)/lib_lock.o: $(top_srcdir)/lib/lock.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/lock.c
$(FUZZ_OBJDIR)/lib_journal.o: $(top_srcdir)/lib/journal.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/journal.c
$(FUZZ_OBJDIR)/lib_txn.o: $(top_srcdir)/lib/txn.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/txn.c
$(FUZZ_OBJDIR)/lib_metadata.o: $(top_srcdir)/lib/metadata.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/metadata.c
$(FUZZ_OBJDIR)/lib_sha256.o: $(top_srcdir)/lib/sha256.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/sha256.c
$(FUZZ_OBJDIR)/lib_status.o: $(top_srcdir)/lib/status.c $(FUZZ_LIB_HDRS) $(FUZZ_CORE_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -c -o $@ $(top_srcdir)/lib/status.c
$(FUZZ_BINDIR)/fuzz_conf: $(top_srcdir)/tests/fuzz/fuzz_conf.c $(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) \
		$(FUZZ_LIB_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_conf.c \
		$(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) $(FUZZ_LIB_LIBS)
$(FUZZ_BINDIR)/fuzz_idlist: $(top_srcdir)/tests/fuzz/fuzz_idlist.c $(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) \
		$(FUZZ_LIB_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_idlist.c \
		$(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) $(FUZZ_LIB_LIBS)
$(FUZZ_BINDIR)/fuzz_profile: $(top_srcdir)/tests/fuzz/fuzz_profile.c $(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) \
		$(FUZZ_LIB_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_profile.c \
		$(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) $(FUZZ_LIB_LIBS)
$(FUZZ_BINDIR)/fuzz_journal: $(top_srcdir)/tests/fuzz/fuzz_journal.c $(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) \
		$(FUZZ_LIB_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_journal.c \
		$(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) $(FUZZ_LIB_LIBS)

$(FUZZ_BINDIR)/fuzz_metadata: $(top_srcdir)/tests/fuzz/fuzz_metadata.c $(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) \
		$(FUZZ_LIB_HDRS) $(FUZZ_HDRS)
	$(FUZZ_COMPILE) $(FUZZ_LIB_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_metadata.c \
		$(FUZZ_LIB_OBJS) $(FUZZ_TEXT_OBJS) $(FUZZ_LIB_LIBS)

.PHONY: fuzz fuzz-check-cc
fuzz-check-cc:
	@test -n "$(FUZZ_CC)" || { \
	  echo "make fuzz: configure found no clang (FUZZ_CC is empty)" >&2; exit 1; }
fuzz: fuzz-check-cc
	@$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_TARGETS:%=$(FUZZ_BINDIR)/%)

CLEANFILES += $(FUZZ_TARGETS:%=$(FUZZ_BINDIR)/%) $(FUZZ_ENGINE_OBJS) $(FUZZ_SIM_OBJS) \
	$(FUZZ_LIB_OBJS)

EXTRA_DIST += \
	tests/fuzz/README \
	tests/fuzz/run-fuzzers.sh \
	tests/fuzz/fuzz_check.h \
	tests/fuzz/fuzz_uuid_common.h \
	tests/fuzz/fuzz_lib_common.h \
	$(FUZZ_TARGETS:%=tests/fuzz/%.c) \
	tests/fuzz/corpus
