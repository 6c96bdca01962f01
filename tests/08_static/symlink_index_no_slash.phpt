--TEST--
Static: a folder whose index.html links outside the root is not served, with or without the trailing slash
--EXTENSIONS--
salon
--SKIPIF--
<?php if (!function_exists('symlink')) die('skip no symlink()'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$root = static_root();
/* idx/index.html -> ../../secret.txt, outside the root. */
mkdir("$root/idx");
if (!@symlink(dirname($root) . '/secret.txt', "$root/idx/index.html")) { echo "could not create the symlink\n"; }
register_shutdown_function(function () use ($root) { @unlink("$root/idx/index.html"); @rmdir("$root/idx"); });
$server = salon_server(['document_root' => $root]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
foreach (['/idx/', '/idx', '/idx/index.html', '/idx?x=1'] as $p) {
	$r = get($port, $p);
	echo $p, ': ', str_contains($r['body'], 'TOP SECRET') ? 'LEAKED' : $r['status'],
		isset($r['headers']['location']) ? ' -> ' . $r['headers']['location'] : '', "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
/idx/: 404
/idx: 301 -> /idx/
/idx/index.html: 404
/idx?x=1: 301 -> /idx/?x=1
