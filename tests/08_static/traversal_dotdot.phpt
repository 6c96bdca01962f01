--TEST--
Static: ".." cannot leave the document root
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
foreach (['/../secret.txt', '/sub/../../secret.txt', '/sub/../../../../../../etc/passwd', '/..', '/./../secret.txt', '..\\secret.txt', '/sub/..%5c..%5csecret.txt'] as $p) {
	$r = get($port, $p);
	$leak = str_contains($r['body'], 'TOP SECRET') || str_contains($r['body'], 'root:');
	echo $p, ': ', $leak ? 'LEAKED' : ($r['status'] >= 400 && $r['status'] < 500 ? 'refused' : 'status ' . $r['status']), "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
/../secret.txt: refused
/sub/../../secret.txt: refused
/sub/../../../../../../etc/passwd: refused
/..: refused
/./../secret.txt: refused
..\secret.txt: refused
/sub/..%5c..%5csecret.txt: refused
