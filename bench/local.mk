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
