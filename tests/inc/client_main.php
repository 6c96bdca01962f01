<?php
/*
 * The client side of a PHPT test: tests/inc/harness.inc starts
 *   PHP_BINARY -n client_main.php PORT
 * and writes the client code to its stdin. The code runs with $port set and
 * tests/inc/wsclient.php loaded; it needs no extension. Warnings become
 * exceptions, and an uncaught exception is printed, so the test's EXPECT
 * section shows it.
 */
require __DIR__ . '/wsclient.php';

$port = (int) ($argv[1] ?? 0);
$__code = stream_get_contents(STDIN);
set_error_handler(function (int $no, string $str, string $file, int $line): bool {
	throw new ErrorException($str, 0, $no, $file, $line);
});
try {
	(function (int $port) use ($__code) {
		eval($__code);
	})($port);
} catch (Throwable $e) {
	echo 'client: ', get_class($e), ': ', $e->getMessage(), "\n";
	exit(2);
}
