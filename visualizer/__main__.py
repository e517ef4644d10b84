from visualizer.cli import main

main()
