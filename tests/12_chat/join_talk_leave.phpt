--TEST--
Chat: two users join the lobby, see each other, talk both ways; one leaves and the other sees the notice
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$a = chat_join($port, 'alice');
$b = chat_join($port, 'bob');
chat_show('alice', $a, 2);
chat_say($a, 'hi bob');
chat_show('alice', $a);
chat_show('bob', $b);
chat_say($b, 'hello alice');
chat_show('alice', $a);
chat_show('bob', $b);
echo 'bob: ', $b->close(), "\n";
chat_show('alice', $a, 2);
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
alice <- {"type":"joined","nick":"alice","room":"lobby","users":["alice"],"history":[]}
alice <- {"type":"notice","room":"lobby","event":"join","nick":"alice","text":"alice joined"}
alice <- {"type":"users","room":"lobby","users":["alice"]}
bob <- {"type":"joined","nick":"bob","room":"lobby","users":["alice","bob"],"history":[]}
bob <- {"type":"notice","room":"lobby","event":"join","nick":"bob","text":"bob joined"}
bob <- {"type":"users","room":"lobby","users":["alice","bob"]}
alice <- {"type":"notice","room":"lobby","event":"join","nick":"bob","text":"bob joined"}
alice <- {"type":"users","room":"lobby","users":["alice","bob"]}
alice <- {"type":"message","room":"lobby","nick":"alice","text":"hi bob"}
bob <- {"type":"message","room":"lobby","nick":"alice","text":"hi bob"}
alice <- {"type":"message","room":"lobby","nick":"bob","text":"hello alice"}
bob <- {"type":"message","room":"lobby","nick":"bob","text":"hello alice"}
bob: close 1000 closed
alice <- {"type":"notice","room":"lobby","event":"leave","nick":"bob","text":"bob left"}
alice <- {"type":"users","room":"lobby","users":["alice"]}
