print("lspsim")
