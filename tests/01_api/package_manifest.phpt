--TEST--
Package: package.xml lists every source file (and only existing ones), and it, composer.json (PIE) and config.m4 agree on the version, the extension name and the configure options
--EXTENSIONS--
salon
--INI--
pcre.jit=0
--FILE--
<?php
$root = dirname(__DIR__, 2);
$xml = file_get_contents("$root/package.xml");
$composer = json_decode(file_get_contents("$root/composer.json"), true);
$m4 = file_get_contents("$root/config.m4");

/* Plain regular expressions: run-tests loads no XML extension. */
preg_match_all('~<file\s+name="([^"]+)"\s+role="(src|doc|test|data)"\s*/>~', $xml, $m);
$listed = array_combine($m[1], $m[2]);
echo 'package.xml lists ', count($listed) > 20 ? 'many' : count($listed), " files\n";
foreach ($listed as $f => $role) {
	if (!is_file("$root/$f")) {
		echo "listed but missing: $f\n";
	}
}
$sources = array_merge(glob("$root/src/*.[ch]"), glob("$root/ext/*.[ch]"),
	["$root/config.m4", "$root/Makefile.frag", "$root/php/salon.stub.php"]);
preg_match_all('~\b((?:src|ext)/[\w./-]+\.[ch])\b~', $m4, $fromM4);
foreach ($fromM4[1] as $f) {
	$sources[] = "$root/$f";
}
foreach (array_unique($sources) as $path) {
	$f = substr($path, strlen($root) + 1);
	if (!isset($listed[$f])) {
		echo "not in package.xml: $f (add <file name=\"$f\" role=\"", str_ends_with($f, '.php') ? 'doc' : 'src', "\"/>)\n";
	} elseif (preg_match('~^(src|ext)/|^config\.m4$|^Makefile\.frag$~', $f) && $listed[$f] !== 'src') {
		echo "$f has role {$listed[$f]}, not src\n";
	}
}

preg_match('~<release>([^<]+)</release>~', $xml, $release);
echo 'package.xml release is the extension version: ', var_export($release[1] === phpversion('salon'), true), "\n";
preg_match('~<providesextension>([^<]+)</providesextension>~', $xml, $provides);
echo 'provides: ', $provides[1], "\n";

preg_match_all('~PHP_ARG_(ENABLE|WITH)\(\[?([\w-]+)\]?~', $m4, $args, PREG_SET_ORDER);
$m4Options = array_map(fn ($a) => strtolower($a[1]) . '-' . $a[2], $args);
preg_match_all('~<configureoption\s+name="([^"]+)"~', $xml, $pecl);
$pie = array_column($composer['php-ext']['configure-options'] ?? [], 'name');
echo 'config.m4 options: ', implode(', ', $m4Options), "\n";
echo 'package.xml options: ', implode(', ', $pecl[1]), "\n";
echo 'composer.json options: ', implode(', ', $pie), "\n";

echo 'composer.json: ', $composer['type'], ' ', $composer['name'], ' extension-name ', $composer['php-ext']['extension-name'], "\n";
preg_match('~<php>\s*<min>(\d+\.\d+)~', $xml, $phpMin);
echo 'PHP minimum: package.xml ', $phpMin[1], ', composer.json ', $composer['require']['php'], "\n";
?>
--EXPECT--
package.xml lists many files
package.xml release is the extension version: true
provides: salon
config.m4 options: enable-salon, with-salon-hiredis
package.xml options: enable-salon, with-salon-hiredis
composer.json options: enable-salon, with-salon-hiredis
composer.json: php-ext salon/salon extension-name salon
PHP minimum: package.xml 8.2, composer.json >=8.2
