--TEST--
Static: serve_dotfiles => true serves paths with segments starting with "."; the option must be a bool
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
require __DIR__ . '/dotfiles.inc';
$server = salon_server(['document_root' => dotfiles_root(), 'serve_dotfiles' => true]);
$child = salon_client($server, STATIC_GET . 'const DOTFILE_PATHS = ' . var_export(DOTFILE_PATHS, true) . ";\n" . <<<'PHP'
foreach (DOTFILE_PATHS as $p) {
	$r = get($port, $p);
	echo $p, ': ', $r['status'], isset($r['headers']['location']) ? ' -> ' . $r['headers']['location'] : '', "\n";
}
PHP);
echo salon_run($server, $child);
try {
	new Salon\Server('127.0.0.1', 0, ['serve_dotfiles' => 1]);
} catch (TypeError $e) {
	echo get_class($e), ': ', $e->getMessage(), "\n";
}
?>
--EXPECTF--
/.env: 200
/%2eenv: 200
/%2Eenv: 200
/.git/config: 200
/.git: 301 -> /.git/
/.git/: 404
/%2egit/config: 200
/sub/.hidden: 200
/sub/%2ehidden: 200
/.hidden-dir/page.html: 200
/.hidden-dir/: 404
/sub/../.env: 400
/.well-known/acme-challenge/token1: 200
/.well-known/acme-challenge/.secret: 200
/sub/: 200
/index.html: 200
TypeError: Salon\Server::__construct(): Argument #3 ($options) option "serve_dotfiles" must be of type bool, int given
