#!/usr/bin/env python
from canhgiac.cli import main

if __name__ == "__main__":
    main()
