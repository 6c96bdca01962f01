--TEST--
Static: a path with a segment starting with "." is 404 by default (percent-encoded too), except /.well-known/
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
require __DIR__ . '/dotfiles.inc';
$server = salon_server(['document_root' => dotfiles_root()]);
$child = salon_client($server, STATIC_GET . 'const DOTFILE_PATHS = ' . var_export(DOTFILE_PATHS, true) . ";\n" . <<<'PHP'
foreach (DOTFILE_PATHS as $p) {
	$r = get($port, $p);
	echo $p, ': ', $r['status'], isset($r['headers']['location']) ? ' -> ' . $r['headers']['location'] : '', "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
/.env: 404
/%2eenv: 404
/%2Eenv: 404
/.git/config: 404
/.git: 404
/.git/: 404
/%2egit/config: 404
/sub/.hidden: 404
/sub/%2ehidden: 404
/.hidden-dir/page.html: 404
/.hidden-dir/: 404
/sub/../.env: 400
/.well-known/acme-challenge/token1: 200
/.well-known/acme-challenge/.secret: 404
/sub/: 200
/index.html: 200
