# kernel/ap_model: the portable models of what is not vfio_ap (the AP bus
# and machine, KVM's CRYCB, the mdev core).  Its include path holds
# kernel/common and itself: a model file cannot include an engine header.
noinst_LIBRARIES += kernel/ap_model/libapmodel.a
kernel_ap_model_libapmodel_a_CPPFLAGS = $(APCOMMON_CPPFLAGS) $(APMODEL_CPPFLAGS)
kernel_ap_model_libapmodel_a_CFLAGS = $(AM_CFLAGS) $(APVIRT_KERNEL_CFLAGS)
kernel_ap_model_libapmodel_a_SOURCES = \
	kernel/ap_model/ap_bus_model.h \
	kernel/ap_model/ap_bus_priv.h \
	kernel/ap_model/ap_hw.c \
	kernel/ap_model/ap_bus.c \
	kernel/ap_model/ap_bus_attrs.c \
	kernel/ap_model/ap_zcrypt.c \
	kernel/ap_model/kvm_model.h \
	kernel/ap_model/kvm_model.c \
	kernel/ap_model/mdev_core.h \
	kernel/ap_model/mdev_core.c
