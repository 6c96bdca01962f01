# Extra targets. phpize's configure includes this file in the Makefile it
# generates; the root GNUmakefile also runs it on its own
# (make -f Makefile.frag srcdir=$PWD ...), so it relies only on srcdir and
# gives every other variable a default.

SALON_PHP = $(if $(PHP_EXECUTABLE),$(PHP_EXECUTABLE),php)
SALON_GEN_STUB = $(firstword $(wildcard $(srcdir)/build/gen_stub.php) \
	$(shell php-config --extension-dir 2>/dev/null)/build/gen_stub.php)
# nikic/php-parser from Debian's php-parser package.
SALON_PHP_PARSER = /usr/share/php/PhpParser

.PHONY: test-c fuzz stubs

# C unit tests of src/ under ASan+UBSan; no PHP involved.
test-c:
	bash $(srcdir)/tests/unit/run.sh

# libFuzzer targets of the parsers (needs clang).
fuzz:
	bash $(srcdir)/tests/fuzz/run.sh

# Regenerates ext/salon_arginfo.h from php/salon.stub.php. gen_stub.php wants
# to download nikic/php-parser into its own directory; instead it runs from a
# temporary copy next to a PHP-Parser-<version>/lib/PhpParser link to
# Debian's copy, which is where it looks first.
stubs:
	@test -f $(SALON_PHP_PARSER)/autoload.php || { \
		echo "stubs: nikic/php-parser is missing; install it with: apt-get install -y php-parser" >&2; \
		exit 1; }
	@test -f "$(SALON_GEN_STUB)" || { echo "stubs: gen_stub.php not found (install php-dev)" >&2; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cp "$(SALON_GEN_STUB)" "$$tmp/gen_stub.php" && \
	ver=$$(sed -n 's/^ *\$$version = "\([0-9.]*\)";.*/\1/p' "$$tmp/gen_stub.php" | head -n 1) && \
	test -n "$$ver" && mkdir -p "$$tmp/PHP-Parser-$$ver/lib" && \
	ln -s $(SALON_PHP_PARSER) "$$tmp/PHP-Parser-$$ver/lib/PhpParser" && \
	cp $(srcdir)/php/salon.stub.php "$$tmp/salon.stub.php" && \
	$(SALON_PHP) "$$tmp/gen_stub.php" -f "$$tmp/salon.stub.php" >/dev/null && \
	cp "$$tmp/salon_arginfo.h" $(srcdir)/ext/salon_arginfo.h && \
	echo "stubs: wrote ext/salon_arginfo.h"
