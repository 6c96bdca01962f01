--TEST--
API: php/salon.stub.php declares exactly what the loaded extension has (classes, constants, properties, methods, parameters, defaults, types)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/api_describe.inc';
$root = dirname(__DIR__, 2);

/* The stub, declared as user code by a PHP without the extension. */
$code = 'require $argv[1]; $c = get_declared_classes(); $f = get_defined_functions()["user"]; $k = get_defined_constants(true)["user"] ?? [];'
	. ' require $argv[2];'
	. ' echo json_encode(salon_api_describe(array_values(array_diff(get_declared_classes(), $c)),'
	. ' array_values(array_diff(get_defined_functions()["user"], $f)), array_diff_key(get_defined_constants(true)["user"] ?? [], $k)));';
$cmd = [PHP_BINARY, '-n', '-r', $code, __DIR__ . '/api_describe.inc', getenv('SALON_STUB') ?: "$root/php/salon.stub.php"];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$json = stream_get_contents($pipes[1]);
$err = stream_get_contents($pipes[2]);
proc_close($p);
$stub = json_decode($json, true);
if (!is_array($stub)) {
	echo "the stub could not be declared: $err$json\n";
	exit;
}

$ext = new ReflectionExtension('salon');
$loaded = salon_api_describe($ext->getClassNames(), array_keys($ext->getFunctions()), $ext->getConstants());

$classes = $ext->getClassNames();
sort($classes);
echo 'classes: ', implode(', ', $classes), "\n";
echo 'lines: ', count($loaded) > 20 ? 'many' : count($loaded), "\n";
foreach (array_diff($stub, $loaded) as $l) {
	echo "only in the stub:      $l\n";
}
foreach (array_diff($loaded, $stub) as $l) {
	echo "only in the extension: $l\n";
}
echo $stub === $loaded ? "identical\n" : "different\n";
?>
--EXPECT--
classes: Salon\Connection, Salon\Exception, Salon\Request, Salon\Response, Salon\Server
lines: many
identical
