--TEST--
permessage-deflate: php --ri salon reports it
--EXTENSIONS--
salon
--FILE--
<?php
ob_start();
(new ReflectionExtension('salon'))->info();
$info = ob_get_clean();
echo preg_match('/^permessage-deflate => yes$/m', $info) ? "permessage-deflate => yes\n" : $info;
echo preg_match('/^zlib => \d+\.\d+/m', $info) ? "zlib version shown\n" : $info;
?>
--EXPECT--
permessage-deflate => yes
zlib version shown
