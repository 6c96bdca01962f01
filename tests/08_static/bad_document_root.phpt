--TEST--
Static: a document_root that is not a directory is refused by the constructor
--EXTENSIONS--
salon
--FILE--
<?php
try {
	new Salon\Server('127.0.0.1', 0, ['document_root' => __DIR__ . '/does-not-exist']);
	echo "accepted\n";
} catch (Salon\Exception | ValueError $e) {
	echo "refused\n";
}
?>
--EXPECT--
refused
