--TEST--
Static: encoded dots and slashes (%2e%2e, %2E%2E%2F, %252e) cannot leave the document root
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
foreach (['/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/sub/%2e%2e/%2e%2e/secret.txt', '/.%2e/secret.txt', '/%252e%252e/secret.txt', '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/sub%2f..%2f..%2fsecret.txt', '/%00../secret.txt'] as $p) {
	$r = get($port, $p);
	$leak = str_contains($r['body'], 'TOP SECRET') || str_contains($r['body'], 'root:');
	echo $p, ': ', $leak ? 'LEAKED' : ($r['status'] >= 400 && $r['status'] < 500 ? 'refused' : 'status ' . $r['status']), "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
/%2e%2e/secret.txt: refused
/%2E%2E%2Fsecret.txt: refused
/sub/%2e%2e/%2e%2e/secret.txt: refused
/.%2e/secret.txt: refused
/%252e%252e/secret.txt: refused
/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd: refused
/sub%2f..%2f..%2fsecret.txt: refused
/%00../secret.txt: refused
