"""A local SMTP server for the report tests.

Saves every accepted message as an .eml file in the folder given as the first argument and refuses,
with 550, any recipient whose address starts with "bounce". Listens on 127.0.0.1 at the port given as
the second argument, prints "READY <port>" once it accepts connections, and stops when its standard
input closes, so it never outlives the test run that started it.
"""

import os
import sys
import uuid

from aiosmtpd.controller import Controller


class SavingHandler:
    def __init__(self, folder):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex + ".eml"
        temporary = os.path.join(self.folder, "." + name + ".tmp")
        with open(temporary, "wb") as stream:
            stream.write(envelope.original_content or envelope.content)
        os.replace(temporary, os.path.join(self.folder, name))
        return "250 2.0.0 Message accepted"


def main():
    folder = sys.argv[1]
    port = int(sys.argv[2])
    os.makedirs(folder, exist_ok=True)
    controller = Controller(SavingHandler(folder), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        print("READY %d" % port, flush=True)
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
