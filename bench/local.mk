# bench: the engine benchmark.  Built by "make" (not a test: nothing
# asserts timings); "make bench" builds and runs it.
noinst_PROGRAMS += bench/engine
bench_engine_SOURCES = \
	bench/engine.c \
	bench/bench_ref.h \
	bench/bench_ref.c
bench_engine_LDADD = $(APCORE_LIBS)

.PHONY: bench
bench: bench/engine$(EXEEXT)
	./bench/engine$(EXEEXT)
