# SPDX-License-Identifier: GPL-2.0
#
# The chart of `make bench`: ratios to the pipe measured in the same boot.
#   gnuplot -e "dat='chart.dat'; out='chart.png'; subtitle='...'" chart.gp
# chart.dat (written by mydemo-bench): index 0 throughput, index 1 wake-up.

set terminal pngcairo size 1200,900 font "sans,10"
set output out
set multiplot layout 2,1 title "mydemo against a pipe and a socketpair\n".subtitle
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top left
set rmargin 8
# The goal lines stay in view: at least up to 1.4.
set yrange [0:1.4<*]
set ylabel "ratio to the pipe (higher: faster)"
set xtics rotate by -30 scale 0 font ",9"
set title "Throughput, ratio to the pipe (median of the rounds' ratios; dotted: the 64 B goal)"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc "black"
set arrow 2 from graph 0, first 1.2 to graph 1, first 1.2 nohead dt 3 lc "dark-green"
plot dat index 0 using 2:xtic(1) title "mydemo / pipe" lc "steelblue", \
     '' index 0 using 3 title "socketpair / pipe" lc "gray70"

unset arrow 2
set arrow 3 from graph 0, first 1.2 to graph 1, first 1.2 nohead dt 3 lc "dark-red"
set xtics norotate
set ylabel "ratio to the pipe (lower: faster)"
set title "Wake-up latency of a blocked reader, mydemo / pipe (goal for p99: at most 1.2)"
plot dat index 1 using 2:xtic(1) title "p50" lc "steelblue", \
     '' index 1 using 3 title "p99" lc "orange"
unset multiplot
