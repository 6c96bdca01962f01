--TEST--
Static: a folder asked for without its trailing slash gets 301 to the slash form (query kept), not its index
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$root = static_root();
mkdir("$root/a b");
mkdir("$root/evil.example");
mkdir("$root/no-index");
register_shutdown_function(function () use ($root) { @rmdir("$root/a b"); @rmdir("$root/evil.example"); @rmdir("$root/no-index"); });
$server = salon_server(['document_root' => $root]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
function line(array $r): string {
	return $r['status'] . (isset($r['headers']['location']) ? ' -> ' . $r['headers']['location'] : '')
		. ($r['status'] === 301 ? ' body ' . strlen($r['body']) . ' bytes' : '');
}
echo "/sub: ", line(get($port, '/sub')), "\n";
echo "/sub?x=1&y=%41: ", line(get($port, '/sub?x=1&y=%41')), "\n";
echo "/sub/: ", show(get($port, '/sub/')), "\n";
echo "HEAD /sub: ", line(get($port, '/sub', 'HEAD')), "\n";
/* The Location is built from the decoded, normalised path: a doubled
 * slash must not become a scheme-relative "//host/" (an open redirect). */
echo "//evil.example: ", line(get($port, '//evil.example')), "\n";
echo "/a%20b: ", line(get($port, '/a%20b')), "\n";
echo "/no-index: ", line(get($port, '/no-index')), "\n";
echo "/no-index/: ", line(get($port, '/no-index/')), "\n";
echo "/dir-out: ", line(get($port, '/dir-out')), "\n";
echo "/index.html: ", show(get($port, '/index.html')), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
/sub: 301 -> /sub/ body %d bytes
/sub?x=1&y=%41: 301 -> /sub/?x=1&y=%41 body %d bytes
/sub/: 200 text/html%S length-ok
HEAD /sub: 301 -> /sub/ body 0 bytes
//evil.example: 301 -> /evil.example/ body %d bytes
/a%20b: 301 -> /a%20b/ body %d bytes
/no-index: 301 -> /no-index/ body %d bytes
/no-index/: 404
/dir-out: 404
/index.html: 200 text/html%S length-ok
