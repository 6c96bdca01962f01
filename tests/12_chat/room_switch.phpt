--TEST--
Chat: switching rooms tells the old room "left" and the new room "joined", with the new room's users and history; a rejoin of the same room only repeats the snapshot
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$a = chat_join($port, 'alice', 'lobby', true);
$g = chat_join($port, 'gina', 'garden', true);
chat_say($g, 'roses');
chat_msg($g);
$b = chat_join($port, 'bob', 'lobby', true);
chat_msg($a); chat_msg($a);
echo "-- bob switches to the garden\n";
chat_req($b, '{"type":"join","nick":"bob","room":"garden"}');
chat_show('bob', $b, 3);
chat_show('alice', $a, 2);
chat_show('gina', $g, 2);
echo "-- bob joins the garden again\n";
chat_req($b, '{"type":"join","nick":"bob","room":"garden"}');
chat_show('bob', $b);
chat_say($b, 'hi gina');
chat_show('bob', $b);
echo "-- room omitted: back to the lobby\n";
chat_req($b, '{"type":"join","nick":"bob"}');
chat_show('bob', $b, 1);
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
-- bob switches to the garden
bob <- {"type":"joined","nick":"bob","room":"garden","users":["bob","gina"],"history":[{"type":"message","room":"garden","nick":"gina","text":"roses"}]}
bob <- {"type":"notice","room":"garden","event":"join","nick":"bob","text":"bob joined"}
bob <- {"type":"users","room":"garden","users":["bob","gina"]}
alice <- {"type":"notice","room":"lobby","event":"leave","nick":"bob","text":"bob left"}
alice <- {"type":"users","room":"lobby","users":["alice"]}
gina <- {"type":"notice","room":"garden","event":"join","nick":"bob","text":"bob joined"}
gina <- {"type":"users","room":"garden","users":["bob","gina"]}
-- bob joins the garden again
bob <- {"type":"joined","nick":"bob","room":"garden","users":["bob","gina"],"history":[{"type":"message","room":"garden","nick":"gina","text":"roses"}]}
bob <- {"type":"message","room":"garden","nick":"bob","text":"hi gina"}
-- room omitted: back to the lobby
bob <- {"type":"joined","nick":"bob","room":"lobby","users":["alice","bob"],"history":[]}
