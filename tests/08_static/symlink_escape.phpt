--TEST--
Static: a symlink inside the root that points outside it is refused (403 or 404)
--EXTENSIONS--
salon
--SKIPIF--
<?php if (!function_exists('symlink')) die('skip no symlink()'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$root = static_root();
if (!is_link("$root/link-out.txt")) { echo "could not create the symlink\n"; }
$server = salon_server(['document_root' => $root]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
foreach (['/link-out.txt', '/dir-out/secret.txt'] as $p) {
	$r = get($port, $p);
	echo $p, ': ', str_contains($r['body'], 'TOP SECRET') ? 'LEAKED' : (in_array($r['status'], [403, 404], true) ? 'refused' : 'status ' . $r['status']), "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
/link-out.txt: refused
/dir-out/secret.txt: refused
